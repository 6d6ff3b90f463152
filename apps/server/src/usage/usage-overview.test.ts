import { describe, expect, it } from 'vitest';
import type { Cell } from '@access-monitor/contracts';
import { buildUsageChart, type UsageRows } from './usage-overview';

const WINDOW = { start: '2026-01-12', end: '2026-01-14' };

/** Canned rows per usage query, recording which queries a part asked for. */
function fakeRows(asked: string[]): UsageRows {
  const rows: Record<string, Record<string, Cell>[]> = {
    topUsers: Array.from({ length: 20 }, (_, i) => ({ user: `user-${i}`, sessions: 20 - i })),
    mfaCoverage: [
      { event_date: '2026-01-12', with_mfa: 3, without_mfa: 1 },
      { event_date: '2026-01-14', with_mfa: 2, without_mfa: 0 },
    ],
    loginTotals: [{ logins: 9, failed_logins: 2 }],
    sessionsPerDay: [{ event_date: '2026-01-13', protocol: 'db', sessions: 4 }],
    loginsByHourOfWeek: [{ dow: 1, hour: 9, logins: 5 }],
  };
  return async (id) => {
    asked.push(id);
    return rows[id] ?? [];
  };
}

describe('buildUsageChart', () => {
  it('runs only the queries of the part asked for, and names only their SQL', async () => {
    const asked: string[] = [];
    const part = await buildUsageChart(fakeRows(asked), WINDOW, 'topUsers');
    expect(asked).toEqual(['topUsers']);
    expect(part.topUsers).toHaveLength(15);
    expect(part.topUsers![0]).toEqual({ user: 'user-0', sessions: 20 });
    expect(Object.keys(part.queries)).toEqual(['topUsers']);
    expect(part.sessionsPerDay).toBeUndefined();
  });

  it('totals count every user and session, not only the 15 drawn', async () => {
    const part = await buildUsageChart(fakeRows([]), WINDOW, 'totals');
    expect(part.totals).toEqual({ sessions: 210, users: 20, sessionsWithMfa: 5, logins: 9, failedLogins: 2 });
  });

  it('fills every day of the window for per-day charts', async () => {
    const part = await buildUsageChart(fakeRows([]), WINDOW, 'sessionsPerDay');
    expect(part.sessionsPerDay!.map((d) => [d.date, d.db])).toEqual([
      ['2026-01-12', 0],
      ['2026-01-13', 4],
      ['2026-01-14', 0],
    ]);
  });
});
