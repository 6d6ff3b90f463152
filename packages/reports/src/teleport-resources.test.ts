import { describe, expect, it } from 'vitest';
import { ACCESS_RISK_REPORT } from './access-risk-report';
import { findingQuery } from './built-in-reports';
import type { AuditQueryDefinition, SecurityReport } from './model';
import { PRIVILEGE_ACCESS_REPORT } from './privilege-access-report';
import { TELEPORT_PRIVILEGE_ACCESS_QUERIES } from './teleport-privilege-access-queries';
import { fromTeleportResource, GO_ZERO_TIME, InvalidTeleportResource, queryLabelKey, READ_ONLY_LABEL, toTeleportResource } from './teleport-resources';

// An edited copy of Teleport's db_postgres_user and join-token queries, folded onto one line: not Teleport's text, so not recognised.
const EDITED_DB_POSTGRES_USER = 'SELECT event_date, COUNT(*) AS count, user FROM db_session_start GROUP BY event_date, user ORDER BY event_date';
const EDITED_JOIN_TOKENS =
  "SELECT event_date, COUNT(*) as count, node_name, host_id FROM instance_join WHERE FROM_ISO8601_TIMESTAMP(token_expires) - FROM_ISO8601_TIMESTAMP(time) > INTERVAL '1' DAY GROUP BY event_date, node_name, host_id ORDER BY event_date";

/**
 * Teleport's Go types as encoding/json reads and writes them (api/types/secreports/secreports.go,
 * api/types/header/header.go): field → JSON tag, `omitempty`, type. Reading a document through them
 * and writing it back is what `tctl create` then `tctl get` does: unknown keys vanish, empty ones are omitted.
 */
type GoType = 'string' | 'time' | 'labels' | { struct: GoStruct } | { list: GoStruct };
type GoStruct = { [tag: string]: { type: GoType; omitempty: boolean } };
const s = (omitempty = true) => ({ type: 'string' as const, omitempty });
const GO_METADATA: GoStruct = { name: s(false), description: s(), labels: { type: 'labels', omitempty: true }, expires: { type: 'time', omitempty: false }, revision: s() };
const GO_AUDIT_QUERY_SPEC: GoStruct = { name: s(), title: s(), description: s(), query: s() };
const header = (spec: GoStruct): GoType => ({
  struct: { kind: s(), sub_kind: s(), version: s(), metadata: { type: { struct: GO_METADATA }, omitempty: true }, spec: { type: { struct: spec }, omitempty: false } },
});
const GO_AUDIT_QUERY = header(GO_AUDIT_QUERY_SPEC);
const GO_REPORT = header({ name: s(), title: s(), desc: s(), audit_queries: { type: { list: GO_AUDIT_QUERY_SPEC }, omitempty: true }, version: s() });

function throughGo(value: unknown, type: GoType): unknown {
  if (type === 'string') return typeof value === 'string' ? value : expect.fail(`not a Go string: ${JSON.stringify(value)}`);
  if (type === 'time') return value ?? GO_ZERO_TIME;
  if (type === 'labels') {
    for (const v of Object.values(value as object)) if (typeof v !== 'string') expect.fail(`label value ${JSON.stringify(v)} is not a string`);
    return value;
  }
  if ('list' in type) return (value as unknown[]).map((v) => throughGo(v, { struct: type.list }));
  const out: Record<string, unknown> = {};
  for (const [tag, field] of Object.entries(type.struct)) {
    const v = (value as Record<string, unknown>)[tag];
    if (v === undefined) {
      if (!field.omitempty) out[tag] = throughGo(field.type === 'string' ? '' : undefined, field.type);
      continue;
    }
    const read = throughGo(v, field.type);
    const empty = read === '' || (Array.isArray(read) && read.length === 0) || (field.type === 'labels' && Object.keys(read as object).length === 0);
    if (!(field.omitempty && empty)) out[tag] = read;
  }
  return out;
}

const customQuery: AuditQueryDefinition = {
  id: 'logins_from_new_hosts',
  title: 'Logins from new hosts',
  description: 'SSH logins from hosts a user never used before',
  severity: 'high',
  recommendation: "Review the user's recent access and rotate their credentials",
  chart: { type: 'stacked-bar', x: 'event_date', y: 'count', series: 'login' },
  chartSql: "SELECT event_date, count(*) AS count, login FROM session_start WHERE proto = 'ssh' GROUP BY event_date, login",
  detailSql: "SELECT event_time, \"user\", login, server_hostname\nFROM session_start\nWHERE proto = 'ssh'",
  entityColumns: ['user', 'login'],
};
const customReport: SecurityReport = {
  name: 'team_watch',
  title: 'Team watch',
  description: '',
  version: '',
  queries: [customQuery, { ...customQuery, id: 'second', severity: 'low', detailSql: null, entityColumns: [], description: '', recommendation: 'Nothing to do' }],
  readOnly: false,
};

describe('Teleport resources: export', () => {
  it("writes a report as `tctl get security_report` prints it: desc and audit_queries, what Teleport has no field for in labels", () => {
    const resource = toTeleportResource(PRIVILEGE_ACCESS_REPORT);
    expect(Object.keys(resource)).toEqual(['kind', 'version', 'metadata', 'spec']);
    expect(resource.kind).toBe('security_report');
    expect(resource.version).toBe('v1');
    expect(Object.keys(resource.metadata)).toEqual(['name', 'labels', 'expires']);
    expect(resource.metadata).toMatchObject({ name: 'privilege_access_report', expires: GO_ZERO_TIME });
    expect(Object.keys(resource.spec)).toEqual(['name', 'title', 'desc', 'audit_queries', 'version']);
    expect(resource.spec).toMatchObject({
      name: 'privilege_access_report',
      title: 'Privileged Access Report',
      desc: 'Identify sessions using weak security measures across your infrastructure',
      version: '0.0.1',
    });
    expect(resource.spec.audit_queries).toHaveLength(9);
    const kubeExecs = findingQuery(PRIVILEGE_ACCESS_REPORT, 'kube_execs')!;
    expect(resource.spec.audit_queries![1]).toEqual({ name: 'kube_execs', title: 'Kube Execs', description: kubeExecs.description, query: kubeExecs.chartSql });
    expect(resource.metadata.labels).toMatchObject({
      [READ_ONLY_LABEL]: 'true',
      'access-monitor/queries/kube_execs/severity': kubeExecs.severity,
      'access-monitor/queries/kube_execs/recommendation': kubeExecs.recommendation,
      'access-monitor/queries/kube_execs/detail-sql': kubeExecs.detailSql,
      'access-monitor/queries/kube_execs/chart-series': 'user',
      'access-monitor/queries/kube_execs/entity-columns': kubeExecs.entityColumns.join(','),
    });
    expect(Object.keys(resource.metadata.labels!)).toEqual([...Object.keys(resource.metadata.labels!)].sort());
  });

  it("writes a query as Teleport's audit_query, flagging a built-in one read-only", () => {
    const query = findingQuery(ACCESS_RISK_REPORT, 'lock_removals')!;
    const resource = toTeleportResource(query);
    expect(resource).toMatchObject({
      kind: 'audit_query',
      version: 'v1',
      metadata: { name: 'lock_removals', labels: { [READ_ONLY_LABEL]: 'true', [queryLabelKey('severity')]: query.severity }, expires: GO_ZERO_TIME },
      spec: { name: 'lock_removals', title: 'Lock removals', description: query.description, query: query.chartSql },
    });
    expect(Object.keys(resource.spec)).toEqual(['name', 'title', 'description', 'query']);
    expect(toTeleportResource({ ...query, id: 'my_lock_removals' }).metadata.labels).not.toHaveProperty(READ_ONLY_LABEL);
  });

  it('leaves out empty strings and an empty query list, as Go omitempty does', () => {
    const { spec } = toTeleportResource({ ...customReport, queries: [] });
    expect(spec).toEqual({ name: 'team_watch', title: 'Team watch' });
    expect(toTeleportResource(customReport).spec.audit_queries![1]).toEqual({ name: 'second', title: customQuery.title, query: customQuery.chartSql });
  });

  it.each([PRIVILEGE_ACCESS_REPORT, ACCESS_RISK_REPORT, customReport])("holds only what Teleport's Go types read ($name)", (report) => {
    const docs = [toTeleportResource(report), ...report.queries.map((q) => toTeleportResource(q))];
    const plain = docs.map((d) => JSON.parse(JSON.stringify(d)) as Record<string, unknown>);
    expect(throughGo(plain[0], GO_REPORT)).toEqual(plain[0]);
    for (const doc of plain.slice(1)) expect(throughGo(doc, GO_AUDIT_QUERY)).toEqual(doc);
    for (const doc of plain) {
      for (const key of Object.keys(doc.metadata as object)) expect(GO_METADATA).toHaveProperty(key);
      // Teleport's label key pattern, api/types/common: ^[a-zA-Z/.0-9_:*-]+$
      for (const key of Object.keys((doc.metadata as { labels?: object }).labels ?? {})) expect(key).toMatch(/^[a-zA-Z/.0-9_:*-]+$/);
    }
  });
});

describe('Teleport resources: import', () => {
  it.each([PRIVILEGE_ACCESS_REPORT, ACCESS_RISK_REPORT, customReport])('reads back $name unchanged, severities and detail queries included', (report) => {
    expect(fromTeleportResource(toTeleportResource(report))).toEqual({ kind: 'security_report', report, warnings: [] });
    for (const query of report.queries) expect(fromTeleportResource(toTeleportResource(query))).toEqual({ kind: 'audit_query', query, warnings: [] });
  });

  it("recognises Teleport's built-in report as `tctl get` prints it: every query keeps Teleport's text and gains the built-in's severity and detail query", () => {
    const imported = fromTeleportResource({
      kind: 'security_report',
      version: 'v1',
      metadata: { name: 'privilege_access_report', revision: '4f1c2a', expires: GO_ZERO_TIME },
      spec: { name: 'privilege_access_report', title: 'Privileged Access Report', audit_queries: TELEPORT_PRIVILEGE_ACCESS_QUERIES, version: '0.0.1' },
    });
    expect(imported.kind).toBe('security_report');
    if (imported.kind !== 'security_report') return;
    expect(imported.warnings).toEqual([]);
    // The name is a built-in's: the server must not let it replace the built-in, and finds it the same.
    expect(imported.report).toMatchObject({ name: 'privilege_access_report', readOnly: true });
    expect(imported.report.queries.map((q) => q.chartSql)).toEqual(PRIVILEGE_ACCESS_REPORT.queries.map((q) => q.chartSql));
    expect(imported.report.queries).toEqual(PRIVILEGE_ACCESS_REPORT.queries.map((q, i) => ({ ...q, description: TELEPORT_PRIVILEGE_ACCESS_QUERIES[i]!.description })));
  });

  it("reads an edited copy of Teleport's queries (desc, audit_queries) with Teleport's defaults", () => {
    const imported = fromTeleportResource({
      kind: 'security_report',
      version: 'v1',
      metadata: { name: 'privilege_access_report', revision: '4f1c2a', expires: GO_ZERO_TIME, labels: { 'teleport.dev/origin': 'system' } },
      spec: {
        name: 'privilege_access_report',
        title: 'Privileged Access Report',
        desc: 'Identify sessions using weak security measures across your infrastructure',
        audit_queries: [
          { name: 'db_postgres_user', title: 'Privileged Postgres sessions', description: 'Setup access requests, device trust and per-session MFA', query: EDITED_DB_POSTGRES_USER },
          { name: 'instance_join_token_less_than_1d', title: 'Long-lived join tokens', description: 'Use short-lived tokens', query: EDITED_JOIN_TOKENS },
        ],
        version: '0.0.1',
      },
    });
    expect(imported.kind).toBe('security_report');
    if (imported.kind !== 'security_report') return;
    expect(imported.warnings).toEqual([]);
    expect(imported.report).toMatchObject({ name: 'privilege_access_report', description: 'Identify sessions using weak security measures across your infrastructure', readOnly: true });
    expect(imported.report.queries).toEqual([
      {
        id: 'db_postgres_user',
        title: 'Privileged Postgres sessions',
        description: 'Setup access requests, device trust and per-session MFA',
        severity: 'medium',
        recommendation: 'Setup access requests, device trust and per-session MFA',
        chart: { type: 'stacked-bar', x: 'event_date', y: 'count', series: 'user' },
        chartSql: EDITED_DB_POSTGRES_USER,
        detailSql: null,
        entityColumns: ['user'],
      },
      expect.objectContaining({ id: 'instance_join_token_less_than_1d', chart: expect.objectContaining({ series: 'node_name' }), entityColumns: ['node_name'], detailSql: null }),
    ]);
  });

  it("reads this project's old spelling (description, queries) and a query whose name and SQL are a built-in's without labels", () => {
    const kubeExecs = findingQuery(PRIVILEGE_ACCESS_REPORT, 'kube_execs')!;
    const imported = fromTeleportResource({
      kind: 'security_report',
      version: 'v1',
      metadata: { name: 'old_export' },
      spec: { name: 'old_export', description: 'From an older access-monitor', queries: [{ name: 'kube_execs', title: 'Kube Execs', description: kubeExecs.description, query: kubeExecs.chartSql }] },
    });
    expect(imported).toMatchObject({ kind: 'security_report', warnings: [], report: { description: 'From an older access-monitor', queries: [kubeExecs] } });
  });

  it('reads a custom audit_query, and never trusts a read-only label on a custom report', () => {
    const query = fromTeleportResource({
      kind: 'audit_query',
      version: 'v1',
      metadata: { name: 'root-logins' },
      spec: { title: 'Root logins', query: "SELECT event_date, count(*) AS count, \"user\" FROM session_start WHERE login = 'root' GROUP BY event_date, \"user\"" },
    });
    expect(query).toMatchObject({ kind: 'audit_query', warnings: [], query: { id: 'root-logins', title: 'Root logins', description: '', severity: 'medium', detailSql: null } });
    const report = fromTeleportResource({ kind: 'security_report', version: 'v1', metadata: { name: 'mine', labels: { [READ_ONLY_LABEL]: 'true' } }, spec: { audit_queries: [{ name: 'q1', query: 'SELECT 1' }] } });
    expect(report).toMatchObject({ kind: 'security_report', report: { name: 'mine', title: 'mine', version: '', readOnly: false } });
  });

  it('is as lenient as Teleport: warns, never refuses, on a differing spec.name, empty or repeated query names, empty queries and another version', () => {
    const imported = fromTeleportResource({
      kind: 'security_report',
      version: 'v2',
      metadata: { name: 'lenient' },
      spec: {
        name: 'something_else',
        audit_queries: [
          { name: 'q', query: 'SELECT 1' },
          { name: 'q', query: 'SELECT 2' },
          { query: 'SELECT 3' },
          { name: 'empty', query: '   ' },
        ],
      },
    });
    expect(imported.kind === 'security_report' && imported.report.queries.map((q) => [q.id, q.chartSql])).toEqual([
      ['q', 'SELECT 1'],
      ['q_2', 'SELECT 2'],
      ['query_3', 'SELECT 3'],
    ]);
    expect(imported.warnings).toEqual([
      'version "v2" read as v1, as Teleport does',
      'spec.name "something_else" differs from metadata.name; using "lenient"',
      'query 2 (q) repeats the name q: renamed q_2',
      'query 3 has no name: named query_3',
      'query 4 (empty) has no SQL: skipped, there is nothing to run',
    ]);
    expect(fromTeleportResource({ kind: 'security_report', metadata: { name: 'bare' }, spec: {} })).toMatchObject({ report: { name: 'bare', queries: [] }, warnings: ['the report has no queries'] });
    expect(fromTeleportResource({ kind: 'audit_query', version: 'v1', metadata: { name: 'a' }, spec: { name: 'b' } })).toMatchObject({
      query: { id: 'a', chartSql: '' },
      warnings: ['spec.name "b" differs from metadata.name; using "a"', 'spec.query is empty: there is nothing to run'],
    });
  });

  it("takes Teleport's spelling when a file has both, and ignores a severity label it does not know", () => {
    const imported = fromTeleportResource({
      kind: 'security_report',
      version: 'v1',
      metadata: { name: 'both', labels: { 'access-monitor/queries/a/severity': 'urgent' } },
      spec: { desc: 'desc wins', description: 'ignored', audit_queries: [{ name: 'a', query: 'SELECT 1' }], queries: [{ name: 'b', query: 'SELECT 2' }] },
    });
    expect(imported).toMatchObject({ report: { description: 'desc wins', queries: [{ id: 'a', severity: 'medium' }] } });
    expect(imported.warnings).toEqual([
      'spec.description ignored: Teleport reads spec.desc',
      'spec.queries ignored: Teleport reads spec.audit_queries',
      'a: severity label "urgent" is not one of low, medium, high, critical; ignored',
    ]);
  });

  it.each([
    ['another kind', { kind: 'role', version: 'v7', metadata: { name: 'x' }, spec: {} }, /kind/],
    ['no name', { kind: 'audit_query', version: 'v1', metadata: {}, spec: { query: 'SELECT 1' } }, /metadata\.name/],
    ['a name with a slash', { kind: 'audit_query', version: 'v1', metadata: { name: 'a/b' }, spec: { query: 'SELECT 1' } }, /metadata\.name/],
    ['a title that is not a string', { kind: 'audit_query', version: 'v1', metadata: { name: 'x' }, spec: { title: 7, query: 'SELECT 1' } }, /spec\.title/],
    ['a label value that is not a string', { kind: 'audit_query', version: 'v1', metadata: { name: 'x', labels: { a: 1 } }, spec: { query: 'SELECT 1' } }, /metadata\.labels\.a/],
    ['a query name with a slash', { kind: 'security_report', version: 'v1', metadata: { name: 'r' }, spec: { audit_queries: [{ name: 'a/b', query: 'SELECT 1' }] } }, /audit_queries\.0\.name/],
    ['not an object', 'kind: audit_query', /resource/],
  ])('refuses a resource with %s, naming the problem', (_, resource, message) => {
    expect(() => fromTeleportResource(resource)).toThrow(InvalidTeleportResource);
    expect(() => fromTeleportResource(resource)).toThrow(message);
  });
});
