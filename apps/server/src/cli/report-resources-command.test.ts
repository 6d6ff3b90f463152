import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIVILEGE_ACCESS_REPORT } from '@access-monitor/reports';
import { createFsObjectStore } from '@access-monitor/storage';
import { createSavedQueries } from '../queries/saved-queries';
import { createReportCatalog } from '../reports/report-catalog';
import { CliError } from './cli-error';
import { reportCommand } from './report-command';

let dir: string;
let config: string;
const stateDir = () => path.join(dir, 'report_results');

/** A config over its own empty state folder. */
async function freshConfig(name: string): Promise<{ config: string; state: string }> {
  const state = path.join(dir, `${name}-state`);
  const file = path.join(dir, `${name}-config.yaml`);
  await writeFile(file, `access_monitoring:\n  report_results: file://${state}\naudit_events_uri: parquet://${path.join(dir, 'events')}\n`);
  return { config: file, state };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-resources-'));
  config = path.join(dir, 'access-monitor.yaml');
  await writeFile(config, `access_monitoring:\n  report_results: file://${stateDir()}\naudit_events_uri: parquet://${path.join(dir, 'events')}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function report(...argv: string[]): Promise<string> {
  let out = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      out += String(chunk);
      cb();
    },
  });
  await reportCommand(argv, sink);
  return out;
}

/** Runs the command expecting a CliError; its exit code, message and what it printed before. */
async function reportFailing(...argv: string[]): Promise<{ exitCode: number; message: string; out: string }> {
  let out = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      out += String(chunk);
      cb();
    },
  });
  const err = await reportCommand(argv, sink).then(
    () => expect.fail('expected the command to fail'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CliError);
  return { exitCode: (err as CliError).exitCode, message: (err as CliError).message, out };
}

const sortedKeys = (o: unknown) => Object.keys(o as object).sort();

/**
 * `tctl get security_report,audit_query` as Teleport prints it (JSON tags of api/types/secreports, keys
 * sorted and long plain strings folded by go-yaml, `expires` always present, server-side `revision`):
 * Teleport's own built-in report with Teleport's SQL, a custom report and two saved queries.
 */
const TCTL_GET = `kind: security_report
metadata:
  expires: "0001-01-01T00:00:00Z"
  name: privilege_access_report
  revision: 5c3e8f0a-6a32-4f0e-9d59-0b8e1b7f2c11
spec:
  audit_queries:
  - description: Setup access requests, device trust and per-session MFA
    name: db_postgres_user
    query: SELECT event_date, COUNT(*) AS count, user FROM db_session_start GROUP
      BY event_date, user ORDER BY event_date
    title: Privileged Postgres sessions
  - description: Don't use root user for SSH sessions
    name: session_start_root_user
    query: SELECT event_date, COUNT(*) AS count, user FROM session_start WHERE login
      = 'root' GROUP BY event_date, user ORDER BY event_date
    title: Root SSH sessions
  desc: Identify sessions using weak security measures across your infrastructure
  name: privilege_access_report
  title: Privileged Access Report
  version: 0.0.1
version: v1
---
kind: security_report
metadata:
  expires: "0001-01-01T00:00:00Z"
  name: team_root_access
  revision: 0f6b0d2e-1a77-4c43-8f4e-3f1d9a9b5e20
spec:
  audit_queries:
  - description: Root logins on the team's nodes
    name: root_logins
    query: |-
      SELECT event_date, COUNT(*) AS count, user
      FROM session_start
      WHERE login = 'root'
      GROUP BY event_date, user
    title: Root logins
  - name: root_execs
    query: SELECT event_date, COUNT(*) AS count, user FROM exec WHERE login = 'root'
      GROUP BY event_date, user
    title: Root commands
  desc: Root access across the team
  name: team_root_access
  title: Team root access
  version: 0.0.1
version: v1
---
kind: audit_query
metadata:
  expires: "0001-01-01T00:00:00Z"
  name: failed_logins
  revision: 2b1f7c55-9a0e-41f6-b7c3-6d8e2f4a9b01
spec:
  description: Failed logins per user and day
  name: failed_logins
  query: SELECT event_date, COUNT(*) AS count, user FROM user_login WHERE success
    = false GROUP BY event_date, user
  title: Failed logins
version: v1
---
kind: audit_query
metadata:
  expires: "0001-01-01T00:00:00Z"
  name: recent_sessions
  revision: 7d4a2c19-3e5b-4f88-a1d0-9c6b8e7f3a42
spec:
  name: recent_sessions
  query: SELECT * FROM session_start LIMIT 100
version: v1
`;

describe('access-monitor report export / import', () => {
  it("exports a built-in report exactly as `tctl get` prints it: the security_report (desc, audit_queries), then each audit_query", async () => {
    const yaml = await report('export', 'privilege_access_report');
    const docs = parseAllDocuments(yaml).map((d) => d.toJS() as { kind: string; metadata: { name: string; labels: Record<string, string> }; spec: Record<string, unknown> });
    expect(docs.map((d) => d.kind)).toEqual(['security_report', ...Array<string>(9).fill('audit_query')]);
    // The key sets Teleport's Go types read through their JSON tags (api/types/secreports/secreports.go, api/types/header/header.go).
    expect(sortedKeys(docs[0])).toEqual(['kind', 'metadata', 'spec', 'version']);
    expect(sortedKeys(docs[0]!.metadata)).toEqual(['expires', 'labels', 'name']);
    expect(sortedKeys(docs[0]!.spec)).toEqual(['audit_queries', 'desc', 'name', 'title', 'version']);
    for (const q of docs[0]!.spec.audit_queries as object[]) expect(sortedKeys(q)).toEqual(['description', 'name', 'query', 'title']);
    for (const d of docs.slice(1)) expect(sortedKeys(d.spec)).toEqual(['description', 'name', 'query', 'title']);
    for (const d of docs) for (const v of Object.values(d.metadata.labels)) expect(typeof v).toBe('string');
    expect(yaml.split('\n').slice(0, 3)).toEqual(['kind: security_report', 'metadata:', '  expires: "0001-01-01T00:00:00Z"']);
    expect(docs[0]!.metadata.name).toBe('privilege_access_report');
    expect(docs.slice(1).map((d) => [d.metadata.name, d.spec.query])).toEqual(PRIVILEGE_ACCESS_REPORT.queries.map((q) => [q.id, q.chartSql]));
    expect((docs[0]!.spec.audit_queries as { query: string }[]).map((q) => q.query)).toEqual(PRIVILEGE_ACCESS_REPORT.queries.map((q) => q.chartSql));
  });

  it('imports the export back: queries become saved queries, the built-in report is kept as shipped, a second import changes nothing', async () => {
    const file = path.join(dir, 'privilege.yaml');
    expect(await report('export', 'privilege_access_report', '--out', file)).toMatch(/wrote privilege_access_report and its 9 audit queries/);
    const first = await report('import', file, '--config', config);
    expect(first).toMatch(/security_report privilege_access_report: built-in, kept as shipped — skipped\n/);
    expect(first.match(/saved as a new query/g)).toHaveLength(9);
    const saved = await createSavedQueries(createFsObjectStore(stateDir())).list();
    expect(saved.map((q) => [q.name, q.sql]).sort()).toEqual(PRIVILEGE_ACCESS_REPORT.queries.map((q) => [q.id, q.chartSql]).sort());
    const second = await report('import', file, '--config', config);
    expect(second.match(/unchanged — skipped/g)).toHaveLength(9);
    expect(second).toMatch(/built-in, kept as shipped — skipped/);
  });

  it('imports a renamed report as a custom report that keeps severities and detail queries', async () => {
    const yaml = (await report('export', 'privilege_access_report')).replaceAll('privilege_access_report', 'team_privileged_access');
    const file = path.join(dir, 'team.yaml');
    await writeFile(file, yaml);
    expect(await report('import', file, '--config', config)).toMatch(/security_report team_privileged_access: saved as custom report revision 1 \(9 queries\)/);
    const custom = await createReportCatalog(createFsObjectStore(stateDir())).get('team_privileged_access');
    expect(custom.readOnly).toBe(false);
    expect(custom.queries).toEqual(PRIVILEGE_ACCESS_REPORT.queries);
    // The same resources; only the built-in label is dropped from the (now custom) report.
    const again = await report('export', 'team_privileged_access', '--config', config);
    expect(again).toBe(yaml.replaceAll('    access-monitor/read-only: "true"\n', ''));
  });

  it('round-trips byte for byte: export → import into another installation → export', async () => {
    const exported = await report('export', 'team_privileged_access', '--config', config);
    const file = path.join(dir, 'round-trip.yaml');
    await writeFile(file, exported);
    const other = await freshConfig('round-trip');
    await report('import', file, '--config', other.config);
    expect(await report('export', 'team_privileged_access', '--config', other.config)).toBe(exported);
  });

  it('imports everything of a `tctl get security_report,audit_query` dump, keeping the built-in report as shipped', async () => {
    const file = path.join(dir, 'tctl-get.yaml');
    await writeFile(file, TCTL_GET);
    const target = await freshConfig('tctl-get');
    const out = await report('import', file, '--config', target.config);
    expect(out).toBe(
      [
        'security_report privilege_access_report: built-in, kept as shipped — skipped (this copy differs; rename metadata.name to import it as a custom report)',
        'security_report team_root_access: saved as custom report revision 1 (2 queries)',
        'audit_query failed_logins: saved as a new query',
        'audit_query recent_sessions: saved as a new query',
        '',
      ].join('\n'),
    );
    const team = await createReportCatalog(createFsObjectStore(target.state)).get('team_root_access');
    expect(team).toMatchObject({ title: 'Team root access', description: 'Root access across the team', version: '0.0.1', readOnly: false });
    expect(team.queries.map((q) => [q.id, q.title, q.severity, q.detailSql])).toEqual([
      ['root_logins', 'Root logins', 'medium', null],
      ['root_execs', 'Root commands', 'medium', null],
    ]);
    expect(team.queries[1]!.chartSql).toBe("SELECT event_date, COUNT(*) AS count, user FROM exec WHERE login = 'root' GROUP BY event_date, user");
    const saved = await createSavedQueries(createFsObjectStore(target.state)).list();
    expect(saved.map((q) => [q.name, q.title, q.sql]).sort()).toEqual([
      ['failed_logins', 'Failed logins', 'SELECT event_date, COUNT(*) AS count, user FROM user_login WHERE success = false GROUP BY event_date, user'],
      ['recent_sessions', 'recent_sessions', 'SELECT * FROM session_start LIMIT 100'],
    ]);
  });

  it('warns where Teleport is silent, refuses SQL the guard refuses per query with its reason, and imports the rest', async () => {
    const file = path.join(dir, 'mixed.yaml');
    await writeFile(
      file,
      `kind: security_report
version: v1
metadata: { name: mixed }
spec:
  name: mixed_report
  audit_queries:
    - { name: fine, query: "SELECT event_date, count(*) AS count, \\"user\\" FROM session_start GROUP BY 1, 3" }
    - { name: sneaky, query: "SELECT * FROM read_csv('/etc/passwd')" }
    - { name: empty, query: "" }
---
kind: audit_query
version: v1
metadata: { name: wipe }
spec: { query: "DELETE FROM audit_events" }
---
kind: role
version: v7
metadata: { name: auditor }
---
kind: audit_query
version: v1
metadata: { name: keeper }
spec: { title: Keeper, query: "SELECT 1" }
`,
    );
    const target = await freshConfig('mixed');
    const { exitCode, message, out } = await reportFailing('import', file, '--config', target.config);
    expect(exitCode).toBe(1);
    expect(message).toBe('2 refusals (see above); everything else was imported');
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('role auditor: not a security_report or audit_query — skipped');
    expect(lines).toContain('security_report mixed: warning: spec.name "mixed_report" differs from metadata.name; using "mixed"');
    expect(lines).toContain('security_report mixed: warning: query 3 (empty) has no SQL: skipped, there is nothing to run');
    expect(lines.find((l) => l.startsWith('security_report mixed: refused: query sneaky: the SQL is refused:'))).toMatch(/read_csv is not allowed.*; the report is imported without it$/);
    expect(lines).toContain('security_report mixed: saved as custom report revision 1 (1 query)');
    expect(lines.find((l) => l.startsWith('audit_query wipe: refused: the SQL is refused:'))).toMatch(/DELETE statements are not allowed/);
    expect(lines).toContain('audit_query keeper: saved as a new query');
    expect((await createReportCatalog(createFsObjectStore(target.state)).get('mixed')).queries.map((q) => q.id)).toEqual(['fine']);
    expect((await createSavedQueries(createFsObjectStore(target.state)).list()).map((q) => q.name)).toEqual(['keeper']);
  });

  it("imports Teleport's query names (Failed.Logins) under a safe name and exports them back under the original, byte for byte", async () => {
    // One audit_query as `tctl get audit_query/Failed.Logins` prints it (without the server-side revision).
    const teleport = `kind: audit_query
metadata:
  expires: "0001-01-01T00:00:00Z"
  name: Failed.Logins
spec:
  description: Failed logins per user and day
  name: Failed.Logins
  query: SELECT event_date, COUNT(*) AS count, user FROM user_login WHERE success = false GROUP BY event_date, user
  title: Failed logins
version: v1
`;
    const file = path.join(dir, 'failed-logins.yaml');
    await writeFile(file, teleport);
    const target = await freshConfig('teleport-names');
    expect(await report('import', file, '--config', target.config)).toBe(
      [
        'audit_query failed_logins: warning: Teleport\'s name Failed.Logins is not a query name here (a query name is 1–63 characters of a-z, 0-9, - and _, starting with a letter or digit): saved as failed_logins; export writes Failed.Logins back',
        'audit_query failed_logins: saved as a new query',
        '',
      ].join('\n'),
    );
    const [saved] = await createSavedQueries(createFsObjectStore(target.state)).list();
    expect(saved).toMatchObject({ name: 'failed_logins', teleportName: 'Failed.Logins', title: 'Failed logins', description: 'Failed logins per user and day' });

    // Exported under Teleport's name, by either name, exactly as it came in.
    expect(await report('export', 'Failed.Logins', '--config', target.config)).toBe(teleport);
    expect(await report('export', 'failed_logins', '--config', target.config)).toBe(teleport);
    await expect(report('export', 'FAILED.LOGINS', '--config', target.config)).rejects.toThrow(/unknown report FAILED\.LOGINS/);

    // Importing it again changes nothing; into another installation, it exports the same bytes.
    expect(await report('import', file, '--config', target.config)).toMatch(/audit_query failed_logins: unchanged — skipped\n$/);
    const exported = path.join(dir, 'failed-logins-exported.yaml');
    expect(await report('export', 'Failed.Logins', '--config', target.config, '--out', exported)).toBe(`wrote audit_query Failed.Logins to ${exported}\n`);
    const other = await freshConfig('teleport-names-again');
    await report('import', exported, '--config', other.config);
    expect(await report('export', 'Failed.Logins', '--config', other.config)).toBe(teleport);
  });

  it('keeps a built-in report as shipped when the file changes it, and imports everything else', async () => {
    // Every query of the report counts with `count(*) AS count` in one spelling or another (Teleport's text).
    const yaml = (await report('export', 'privilege_access_report')).replace(/count\(\*\) as count/gi, '1 AS count');
    const file = path.join(dir, 'changed.yaml');
    await writeFile(file, yaml);
    const before = await readFile(path.join(stateDir(), 'queries', 'kube_execs', 'rev-00000001.json'), 'utf8');
    const refused = await reportFailing('import', file, '--config', config);
    expect(refused.out).toMatch(/security_report privilege_access_report: built-in, kept as shipped — skipped \(this copy differs; rename metadata\.name/);
    expect(refused.out).toMatch(/audit_query kube_execs: refused: a different saved query has that name; pass --force/);
    expect(refused.message).toBe('9 refusals (see above); everything else was imported');
    const forced = await report('import', file, '--config', config, '--force');
    expect(forced.match(/saved as revision 2/g)).toHaveLength(9);
    expect(await readFile(path.join(stateDir(), 'queries', 'kube_execs', 'rev-00000001.json'), 'utf8')).toBe(before);
    await expect(createReportCatalog(createFsObjectStore(stateDir())).save({ ...PRIVILEGE_ACCESS_REPORT, readOnly: false }, 'x', new Date())).rejects.toThrow(/built-in report/);
  });
});
