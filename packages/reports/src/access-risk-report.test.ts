import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_RISK_REPORT, accessRiskReport } from './access-risk-report';
import { findingQuery } from './built-in-reports';
import { ACCESS_RISK_CASES } from './testing/access-risk-fixtures';
import { openDuckDbFindings, type DuckDbFindings } from './testing/duckdb-findings';
import { FIXTURE_WINDOW } from './testing/finding-case';
import { PRIVILEGE_ACCESS_REPORT } from './privilege-access-report';
import { accessRequestCreate, dbSessionStart, kubeSessionStart, sessionStart, userLogin } from './testing/teleport-events';

let db: DuckDbFindings;
beforeAll(async () => {
  db = await openDuckDbFindings();
});
afterAll(async () => {
  await db?.close();
});

describe('Access risk report', () => {
  it('has a hand-counted fixture for every query', () => {
    expect(ACCESS_RISK_CASES.map((c) => c.id).sort()).toEqual(ACCESS_RISK_REPORT.queries.map((q) => q.id).sort());
  });

  it.each(ACCESS_RISK_CASES)('$id returns exactly the hand-counted chart and detail rows', async ({ id, events, chart, detail }) => {
    const files = await db.write(events);
    const rows = await db.runFinding(findingQuery(ACCESS_RISK_REPORT, id)!, files, FIXTURE_WINDOW);
    expect(rows.chart.rows).toEqual(chart);
    expect(rows.detail.rows).toEqual(detail);
  });

  it("counts each weak SSH session once together with Teleport's SSH finding, kept as Teleport ships it", async () => {
    const files = await db.write([
      sessionStart({ time: '2024-05-06T09:00:00Z', user: 'victor', sid: 'new-node' }),
      sessionStart({ time: '2024-05-06T10:00:00Z', user: 'grace', sid: 'old-node', proto: undefined }),
      kubeSessionStart({ time: '2024-05-06T11:00:00Z', user: 'lee', sid: 'old-kube', proto: undefined }),
      sessionStart({ time: '2024-05-06T12:00:00Z', user: 'mia', sid: 'old-node-mfa', proto: undefined, with_mfa: 'b0d3c1aa-mfa-mia' }),
    ]);
    const sids = async (query: Parameters<typeof db.runFinding>[0]) => (await db.runFinding(query, files, FIXTURE_WINDOW)).detail.rows.map((r) => r[2]);
    expect(await sids(findingQuery(PRIVILEGE_ACCESS_REPORT, 'ssh_sessions_with_weak_security')!)).toEqual(['new-node']);
    expect(await sids(findingQuery(ACCESS_RISK_REPORT, 'ssh_sessions_without_proto_with_weak_security')!)).toEqual(['old-node']);
  });

  it("keeps the stricter readings of Teleport's Postgres and kube exec findings as findings of their own", async () => {
    const files = await db.write([
      dbSessionStart({ time: '2024-05-06T09:00:00Z', user: 'ivan', sid: 'pg-super', db_user: 'postgres' }),
      dbSessionStart({ time: '2024-05-06T10:00:00Z', user: 'ivan', sid: 'pg-app' }),
      dbSessionStart({ time: '2024-05-06T11:00:00Z', user: 'kofi', sid: 'my-super', db_protocol: 'mysql', db_user: 'postgres' }),
    ]);
    const rows = async (report: typeof PRIVILEGE_ACCESS_REPORT, id: string) => (await db.runFinding(findingQuery(report, id)!, files, FIXTURE_WINDOW)).detail.rows.map((r) => r[2]);
    // Teleport's "Privileged Postgres sessions" counts every database session; the corrected finding the postgres superuser on Postgres.
    expect(await rows(PRIVILEGE_ACCESS_REPORT, 'db_postgres_user')).toEqual(['pg-super', 'pg-app', 'my-super']);
    expect(await rows(ACCESS_RISK_REPORT, 'postgres_superuser_sessions')).toEqual(['pg-super']);
    expect(ACCESS_RISK_REPORT.queries.map((q) => q.id)).toEqual(expect.arrayContaining(['kube_exec_commands']));
    expect(findingQuery(ACCESS_RISK_REPORT, 'kube_exec_commands')!.chartSql).toMatch(/FROM exec\nWHERE proto = 'kube'/);
  });

  it('renders privileged roles as escaped literals: a quote in a role name matches that role and nothing else', async () => {
    const report = accessRiskReport({ privilegedRoles: ['dba', "o'brien", "x') OR true OR ('"] });
    const query = findingQuery(report, 'access_requests_for_admin_roles')!;
    expect(query.chartSql).toContain("contains(roles, 'o''brien')");
    // o'brien and the injection-shaped role are requested by name; admin is no longer privileged.
    const files = await db.write([
      accessRequestCreate({ time: '2024-05-06T09:00:00Z', user: 'pat', id: 'req-1', roles: ["o'brien"] }),
      accessRequestCreate({ time: '2024-05-06T10:00:00Z', user: 'quinn', id: 'req-2', roles: ["x') OR true OR ('"] }),
      accessRequestCreate({ time: '2024-05-06T11:00:00Z', user: 'rita', id: 'req-3', roles: ['admin'] }),
      accessRequestCreate({ time: '2024-05-06T12:00:00Z', user: 'sam', id: 'req-4', roles: ['dba', 'access'] }),
    ]);
    const { detail } = await db.runFinding(query, files, FIXTURE_WINDOW);
    expect(detail.rows.map((r) => [r[1], r[3]])).toEqual([
      ['pat', "o'brien"],
      ['quinn', "x') OR true OR ('"],
      ['sam', 'dba, access'],
    ]);
    expect(query.parameters).toEqual([{ name: 'privilegedRoles', title: 'Privileged roles', value: ['dba', "o'brien", "x') OR true OR ('"] }]);
  });

  it('compares configured database admin users case-insensitively', async () => {
    const query = findingQuery(accessRiskReport({ dbAdminUsers: ['Postgres'] }), 'db_admin_sessions')!;
    // POSTGRES matches postgres; root is no longer on the list.
    const files = await db.write([
      dbSessionStart({ time: '2024-05-06T09:00:00Z', user: 'ivan', sid: 'p-1', db_user: 'POSTGRES' }),
      dbSessionStart({ time: '2024-05-06T10:00:00Z', user: 'kofi', sid: 'm-1', db_user: 'root' }),
    ]);
    const { chart } = await db.runFinding(query, files, FIXTURE_WINDOW);
    expect(chart.rows).toEqual([['2024-05-06', '1', 'ivan']]);
  });

  it('reports users above a configured number of login addresses, on the day they crossed it', async () => {
    const query = findingQuery(accessRiskReport({ maxSourceHosts: 2 }), 'many_source_ips')!;
    // val: 3 hosts, the third first seen on the 7th; wes: 2 hosts, not above 2.
    const login = (time: string, user: string, addr: string) => userLogin({ time, user, success: true, 'addr.remote': addr });
    const files = await db.write([
      login('2024-05-06T08:00:00Z', 'val', '192.0.2.1:1000'),
      login('2024-05-06T09:00:00Z', 'val', '192.0.2.2:1000'),
      login('2024-05-07T09:00:00Z', 'val', '[::1]:37718'),
      login('2024-05-06T08:00:00Z', 'wes', '192.0.2.1:1000'),
      login('2024-05-06T09:00:00Z', 'wes', '192.0.2.2:1001'),
    ]);
    const { chart, detail } = await db.runFinding(query, files, FIXTURE_WINDOW);
    expect(chart.rows).toEqual([['2024-05-07', '1', 'val']]);
    expect(detail.rows).toEqual([['2024-05-07 09:00:00', 'val', '3', '192.0.2.1, 192.0.2.2, ::1']]);
  });

  it('refuses parameters that cannot make a query', () => {
    expect(() => accessRiskReport({ privilegedRoles: [] })).toThrow(/at least 1|too small/i);
    expect(() => accessRiskReport({ maxSourceHosts: 0 })).toThrow();
    expect(() => accessRiskReport({ dbAdminUsers: ['  '] })).toThrow();
    expect(() => accessRiskReport({ privilegedRoles: ['admin\nroot'] })).toThrow(/control characters/);
  });
});
