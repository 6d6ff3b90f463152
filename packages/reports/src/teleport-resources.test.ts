import { describe, expect, it } from 'vitest';
import { ACCESS_RISK_REPORT } from './access-risk-report';
import { findingQuery } from './built-in-reports';
import { PRIVILEGE_ACCESS_REPORT } from './privilege-access-report';
import { fromTeleportResource, InvalidTeleportResource, READ_ONLY_LABEL, toTeleportResource } from './teleport-resources';

// Teleport's own definition of two of its built-in queries, as `tctl get security_report` returns them.
const TELEPORT_DB_POSTGRES_USER = 'SELECT event_date, COUNT(*) AS count, user FROM db_session_start GROUP BY event_date, user ORDER BY event_date';
const TELEPORT_JOIN_TOKENS =
  "SELECT event_date, COUNT(*) as count, node_name, host_id FROM instance_join WHERE FROM_ISO8601_TIMESTAMP(token_expires) - FROM_ISO8601_TIMESTAMP(time) > INTERVAL '1' DAY GROUP BY event_date, node_name, host_id ORDER BY event_date";

describe('Teleport resources', () => {
  it("writes a report as Teleport's security_report, each query's SQL being its chart query", () => {
    const resource = toTeleportResource(PRIVILEGE_ACCESS_REPORT);
    expect(resource).toMatchObject({
      kind: 'security_report',
      version: 'v1',
      metadata: { name: 'privilege_access_report', labels: { [READ_ONLY_LABEL]: 'true' } },
      spec: {
        name: 'privilege_access_report',
        title: 'Privileged Access Report',
        description: 'Identify sessions using weak security measures across your infrastructure',
        version: '0.0.1',
      },
    });
    expect(resource.spec.queries).toHaveLength(9);
    const kubeExecs = findingQuery(PRIVILEGE_ACCESS_REPORT, 'kube_execs')!;
    expect(resource.spec.queries[1]).toEqual({ name: 'kube_execs', title: 'Kube Execs', description: kubeExecs.description, query: kubeExecs.chartSql });
  });

  it("writes a query as Teleport's audit_query, flagging a built-in one read-only", () => {
    const query = findingQuery(ACCESS_RISK_REPORT, 'lock_removals')!;
    expect(toTeleportResource(query)).toEqual({
      kind: 'audit_query',
      version: 'v1',
      metadata: { name: 'lock_removals', labels: { [READ_ONLY_LABEL]: 'true' } },
      spec: { name: 'lock_removals', title: 'Lock removals', description: query.description, query: query.chartSql },
    });
    const custom = { ...query, id: 'my_lock_removals' };
    expect(toTeleportResource(custom).metadata).toEqual({ name: 'my_lock_removals' });
  });

  it.each([PRIVILEGE_ACCESS_REPORT, ACCESS_RISK_REPORT])('reads back $name unchanged, severities and detail queries included', (report) => {
    expect(fromTeleportResource(toTeleportResource(report))).toEqual({ kind: 'security_report', report });
    const query = report.queries[0]!;
    expect(fromTeleportResource(toTeleportResource(query))).toEqual({ kind: 'audit_query', query });
  });

  it("reads Teleport's own export (desc, audit_queries) with Teleport's defaults for queries it does not know", () => {
    const imported = fromTeleportResource({
      kind: 'security_report',
      version: 'v1',
      metadata: { name: 'privilege_access_report', revision: '4f1c2a', labels: { 'teleport.dev/origin': 'system' } },
      spec: {
        name: 'privilege_access_report',
        title: 'Privileged Access Report',
        desc: 'Identify sessions using weak security measures across your infrastructure',
        audit_queries: [
          { name: 'db_postgres_user', title: 'Privileged Postgres sessions', description: 'Setup access requests, device trust and per-session MFA', query: TELEPORT_DB_POSTGRES_USER },
          { name: 'instance_join_token_less_than_1d', title: 'Long-lived join tokens', description: 'Use short-lived tokens', query: TELEPORT_JOIN_TOKENS },
        ],
        version: '0.0.1',
      },
    });
    expect(imported.kind).toBe('security_report');
    if (imported.kind !== 'security_report') return;
    // The name is a built-in's: the server must not let it replace the built-in.
    expect(imported.report).toMatchObject({ name: 'privilege_access_report', description: 'Identify sessions using weak security measures across your infrastructure', readOnly: true });
    expect(imported.report.queries).toEqual([
      {
        id: 'db_postgres_user',
        title: 'Privileged Postgres sessions',
        description: 'Setup access requests, device trust and per-session MFA',
        severity: 'medium',
        recommendation: 'Setup access requests, device trust and per-session MFA',
        chart: { type: 'stacked-bar', x: 'event_date', y: 'count', series: 'user' },
        chartSql: TELEPORT_DB_POSTGRES_USER,
        detailSql: null,
        entityColumns: ['user'],
      },
      expect.objectContaining({ id: 'instance_join_token_less_than_1d', chart: expect.objectContaining({ series: 'node_name' }), entityColumns: ['node_name'], detailSql: null }),
    ]);
  });

  it('reads a custom audit_query, and never trusts a read-only label on a custom report', () => {
    const query = fromTeleportResource({
      kind: 'audit_query',
      version: 'v1',
      metadata: { name: 'root-logins' },
      spec: { title: 'Root logins', query: "SELECT event_date, count(*) AS count, \"user\" FROM session_start WHERE login = 'root' GROUP BY event_date, \"user\"" },
    });
    expect(query).toMatchObject({ kind: 'audit_query', query: { id: 'root-logins', title: 'Root logins', description: '', severity: 'medium', detailSql: null } });
    const report = fromTeleportResource({
      kind: 'security_report',
      version: 'v1',
      metadata: { name: 'mine', labels: { [READ_ONLY_LABEL]: 'true' } },
      spec: { queries: [{ name: 'q1', query: 'SELECT 1' }] },
    });
    expect(report).toMatchObject({ kind: 'security_report', report: { name: 'mine', title: 'mine', version: '', readOnly: false } });
  });

  it.each([
    ['another kind', { kind: 'role', version: 'v7', metadata: { name: 'x' }, spec: {} }, /kind/],
    ['another version', { kind: 'audit_query', version: 'v2', metadata: { name: 'x' }, spec: { query: 'SELECT 1' } }, /version/],
    ['no query', { kind: 'audit_query', version: 'v1', metadata: { name: 'x' }, spec: { title: 't' } }, /spec\.query/],
    ['an empty query', { kind: 'audit_query', version: 'v1', metadata: { name: 'x' }, spec: { query: '  ' } }, /spec\.query: the query is empty/],
    ['a name with a slash', { kind: 'audit_query', version: 'v1', metadata: { name: 'a/b' }, spec: { query: 'SELECT 1' } }, /metadata\.name/],
    ['a spec name that differs', { kind: 'audit_query', version: 'v1', metadata: { name: 'a' }, spec: { name: 'b', query: 'SELECT 1' } }, /spec\.name/],
    ['no queries', { kind: 'security_report', version: 'v1', metadata: { name: 'r' }, spec: { queries: [] } }, /at least one query/],
    ['a repeated query name', { kind: 'security_report', version: 'v1', metadata: { name: 'r' }, spec: { queries: [{ name: 'q', query: 'SELECT 1' }, { name: 'q', query: 'SELECT 2' }] } }, /unique/],
    ['queries twice', { kind: 'security_report', version: 'v1', metadata: { name: 'r' }, spec: { queries: [{ name: 'q', query: 'SELECT 1' }], audit_queries: [{ name: 'q', query: 'SELECT 1' }] } }, /once/],
    ['not an object', 'kind: audit_query', /resource/],
  ])('refuses a resource with %s, naming the problem', (_, resource, message) => {
    expect(() => fromTeleportResource(resource)).toThrow(InvalidTeleportResource);
    expect(() => fromTeleportResource(resource)).toThrow(message);
  });
});
