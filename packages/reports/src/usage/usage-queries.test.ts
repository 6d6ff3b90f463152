import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSessionStart, dbSessionStart, desktopSessionStart, kubeSessionStart, sessionStart, userLogin } from '../testing/teleport-events';
import { openDuckDbFindings, type DuckDbFindings } from '../testing/duckdb-findings';
import { FIXTURE_WINDOW } from '../testing/finding-case';
import { filteredUsageQuery, USAGE_QUERIES, usageQuery, type UsageQuery } from './usage-queries';

// A week of hand-built activity (FIXTURE_WINDOW is 2024-05-01, a Wednesday, to 2024-05-07).
const EVENTS = [
  userLogin({ time: '2024-05-01T08:00:00.000Z', user: 'alice', success: true }),
  sessionStart({ time: '2024-05-01T09:00:00.000Z', user: 'alice', sid: 's1' }),
  sessionStart({ time: '2024-05-01T10:00:00.000Z', user: 'bob', sid: 's2', with_mfa: 'yubikey' }),
  sessionStart({ time: '2024-05-02T09:00:00.000Z', user: 'alice', sid: 's3', proto: undefined }), // an old node: SSH
  kubeSessionStart({ time: '2024-05-02T11:00:00.000Z', user: 'carol', sid: 's4' }),
  dbSessionStart({ time: '2024-05-03T08:00:00.000Z', user: 'alice', sid: 's5' }),
  dbSessionStart({ time: '2024-05-03T08:30:00.000Z', user: 'bob', sid: 's6', success: false }), // refused: no session
  appSessionStart({ time: '2024-05-03T12:00:00.000Z', user: 'carol', sid: 's7' }),
  desktopSessionStart({ time: '2024-05-04T15:00:00.000Z', user: 'dave', sid: 's8' }),
  userLogin({ time: '2024-05-05T23:30:00.000Z', user: 'erin', success: true }), // a Sunday
  userLogin({ time: '2024-05-05T23:40:00.000Z', user: 'bob', success: false }),
  sessionStart({ time: '2024-05-08T09:00:00.000Z', user: 'alice', sid: 's9' }), // after the window
];

// Hand-computed answers, as DuckDB's JSON rows (dates and BIGINTs as text).
const EXPECTED: Record<UsageQuery['id'], unknown[][]> = {
  sessionsPerDay: [
    ['2024-05-01', 'ssh', '2'],
    ['2024-05-02', 'kube', '1'],
    ['2024-05-02', 'ssh', '1'],
    ['2024-05-03', 'app', '1'],
    ['2024-05-03', 'db', '1'],
    ['2024-05-04', 'desktop', '1'],
  ],
  activeUsersPerDay: [
    ['2024-05-01', '2'],
    ['2024-05-02', '2'],
    ['2024-05-03', '2'],
    ['2024-05-04', '1'],
    ['2024-05-05', '1'],
  ],
  topUsers: [
    ['alice', '3'],
    ['carol', '2'],
    ['bob', '1'],
    ['dave', '1'],
  ],
  topResourcesPerProtocol: [
    ['app', 'grafana', '1'],
    ['db', 'orders-pg', '1'],
    ['desktop', 'win-jump-01', '1'],
    ['kube', 'staging-eks', '1'],
    ['ssh', 'web-01', '3'],
  ],
  mfaCoverage: [
    ['2024-05-01', '1', '1'],
    ['2024-05-02', '0', '2'],
    ['2024-05-03', '0', '2'],
    ['2024-05-04', '0', '1'],
  ],
  loginsByHourOfWeek: [
    ['3', '8', '1'],
    ['7', '23', '1'],
  ],
  loginTotals: [['2', '1']],
};

// The same week plus sessions whose names carry quotes, unicode and SQL, on a second cluster, for the filters.
const TRICKY_USER = "o'brien-zoë-李";
const INJECTION = "x' OR '1'='1";
const FILTER_EVENTS = [
  ...EVENTS,
  sessionStart({ time: '2024-05-06T09:00:00.000Z', user: TRICKY_USER, sid: 's10', server_hostname: "db'01 — ünïcode", cluster_name: 'east.example' }),
  sessionStart({ time: '2024-05-06T10:00:00.000Z', user: INJECTION, sid: 's11', cluster_name: 'east.example' }),
  userLogin({ time: '2024-05-06T08:00:00.000Z', user: TRICKY_USER, success: true, cluster_name: 'east.example' }),
];

let db: DuckDbFindings;
let files: string[];
let filterFiles: string[];
beforeAll(async () => {
  db = await openDuckDbFindings();
  files = await db.write(EVENTS);
  filterFiles = await db.write(FILTER_EVENTS);
});
afterAll(async () => {
  await db?.close();
});

describe('usage queries', () => {
  it('cover every chart of the overview dashboard', () => {
    expect(USAGE_QUERIES.map((q) => q.id).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(USAGE_QUERIES.map((q) => [q.id, q] as const))('%s gives the hand-computed answer on its fixture', async (id) => {
    const { rows } = await db.run(usageQuery(id).sql, files, FIXTURE_WINDOW);
    expect(rows.map((r) => r.map((c) => (c === null ? null : String(c))))).toEqual(EXPECTED[id]);
  });
});

const asText = (rows: unknown[][]) => rows.map((r) => r.map((c) => (c === null ? null : String(c))));

describe('usage queries narrowed by the overview filters', () => {
  const run = async (id: UsageQuery['id'], filters: Parameters<typeof filteredUsageQuery>[1]) =>
    asText((await db.run(filteredUsageQuery(id, filters).sql, filterFiles, FIXTURE_WINDOW)).rows);

  it('leave the SQL exactly as it was without a filter', () => {
    for (const q of USAGE_QUERIES) expect(filteredUsageQuery(q.id, {}).sql).toBe(q.sql);
    expect(usageQuery('topUsers').sql).toBe(`WITH sessions AS (
  SELECT event_date, event_time, 'ssh' AS protocol, "user", with_mfa FROM session_start
  WHERE coalesce(proto, 'ssh') = 'ssh' AND kubernetes_cluster IS NULL
  UNION ALL
  SELECT event_date, event_time, 'kube' AS protocol, "user", with_mfa FROM session_start
  WHERE proto = 'kube' OR kubernetes_cluster IS NOT NULL
  UNION ALL
  SELECT event_date, event_time, 'db' AS protocol, "user", with_mfa FROM db_session_start WHERE success
  UNION ALL
  SELECT event_date, event_time, 'app' AS protocol, "user", with_mfa FROM app_session_start
  UNION ALL
  SELECT event_date, event_time, 'desktop' AS protocol, "user", with_mfa FROM windows_desktop_session_start WHERE success
)
SELECT "user", count(*) AS sessions
FROM sessions
GROUP BY "user"
ORDER BY sessions DESC, "user"`);
    expect(usageQuery('loginTotals').sql).toBe('SELECT count_if(success) AS logins, count_if(NOT success) AS failed_logins\nFROM user_login');
  });

  it('match a user name with quotes and unicode literally, in sessions and logins', async () => {
    expect(await run('topUsers', { user: TRICKY_USER })).toEqual([[TRICKY_USER, '1']]);
    expect(await run('loginTotals', { user: TRICKY_USER })).toEqual([['1', '0']]);
    expect(await run('activeUsersPerDay', { user: TRICKY_USER })).toEqual([['2024-05-06', '1']]);
  });

  it('treat SQL in a value as text: it matches only the user of that name', async () => {
    expect(await run('topUsers', { user: INJECTION })).toEqual([[INJECTION, '1']]);
    expect(await run('topUsers', { user: "' OR ''='" })).toEqual([]);
    expect(filteredUsageQuery('topUsers', { user: INJECTION }).sql).toContain(`"user" = 'x'' OR ''1''=''1'`);
  });

  it('keep only the protocol asked for', async () => {
    expect(await run('sessionsPerDay', { protocol: 'db' })).toEqual([['2024-05-03', 'db', '1']]);
    expect(await run('topResourcesPerProtocol', { protocol: 'kube' })).toEqual([['kube', 'staging-eks', '1']]);
    // Logins have no protocol: a protocol filter leaves them whole.
    expect(await run('loginTotals', { protocol: 'db' })).toEqual([['3', '1']]);
  });

  it('keep only sessions to the host, whatever the protocol calls it', async () => {
    expect(await run('topUsers', { host: "db'01 — ünïcode" })).toEqual([[TRICKY_USER, '1']]);
    expect(await run('topUsers', { host: 'orders-pg' })).toEqual([['alice', '1']]);
    expect(await run('topUsers', { host: 'win-jump-01' })).toEqual([['dave', '1']]);
    expect(await run('topUsers', { host: 'grafana', protocol: 'ssh' })).toEqual([]);
  });

  it('keep only the Teleport cluster asked for, and combine filters with AND', async () => {
    expect(await run('topUsers', { cluster: 'east.example' })).toEqual([
      [TRICKY_USER, '1'],
      [INJECTION, '1'],
    ]);
    expect(await run('loginTotals', { cluster: 'east.example' })).toEqual([['1', '0']]);
    expect(await run('topUsers', { cluster: 'east.example', user: 'alice' })).toEqual([]);
    expect(await run('mfaCoverage', { user: 'bob', protocol: 'ssh' })).toEqual([['2024-05-01', '1', '0']]);
  });
});
