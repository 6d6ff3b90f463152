import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSessionStart, dbSessionStart, desktopSessionStart, kubeSessionStart, sessionStart, userLogin } from '../testing/teleport-events';
import { openDuckDbFindings, type DuckDbFindings } from '../testing/duckdb-findings';
import { FIXTURE_WINDOW } from '../testing/finding-case';
import { USAGE_QUERIES, usageQuery, type UsageQuery } from './usage-queries';

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

let db: DuckDbFindings;
let files: string[];
beforeAll(async () => {
  db = await openDuckDbFindings();
  files = await db.write(EVENTS);
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
