import { SESSION_PROTOCOLS, windowDates, type Cell, type DateWindow, type UsageOverview } from '@access-monitor/contracts';
import { USAGE_QUERIES, type UsageQuery } from '@access-monitor/reports';
import type { Caller, Executions } from '../executions/executions-service';

const num = (v: Cell | undefined): number => (typeof v === 'number' ? v : Number(v ?? 0));
const str = (v: Cell | undefined): string => (v === null || v === undefined ? '' : String(v));

/** Runs the usage queries for one window and shapes them for the overview charts. */
export async function buildUsageOverview(executions: Executions, caller: Caller, window: DateWindow, requestId: string): Promise<UsageOverview> {
  const results = new Map<UsageQuery['id'], Record<string, Cell>[]>();
  await Promise.all(
    USAGE_QUERIES.map(async (q) => {
      results.set(q.id, (await executions.runToCompletion(caller, { sql: q.sql, window, intent: [requestId, q.id] })).rows);
    }),
  );
  const rows = (id: UsageQuery['id']) => results.get(id) ?? [];

  const perDay = new Map(windowDates(window).map((date) => [date, { date, ssh: 0, db: 0, kube: 0, app: 0, desktop: 0 }]));
  for (const r of rows('sessionsPerDay')) {
    const day = perDay.get(str(r.event_date));
    const protocol = str(r.protocol) as (typeof SESSION_PROTOCOLS)[number];
    if (day && SESSION_PROTOCOLS.includes(protocol)) day[protocol] += num(r.sessions);
  }
  const mfa = new Map(windowDates(window).map((date) => [date, { date, withMfa: 0, withoutMfa: 0 }]));
  for (const r of rows('mfaCoverage')) {
    const day = mfa.get(str(r.event_date));
    if (day) {
      day.withMfa = num(r.with_mfa);
      day.withoutMfa = num(r.without_mfa);
    }
  }
  const topUsers = rows('topUsers').map((r) => ({ user: str(r.user), sessions: num(r.sessions) }));
  const loginTotals = rows('loginTotals')[0] ?? {};
  const mfaDays = [...mfa.values()];

  return {
    window,
    totals: {
      sessions: topUsers.reduce((n, u) => n + u.sessions, 0),
      users: topUsers.length,
      sessionsWithMfa: mfaDays.reduce((n, d) => n + d.withMfa, 0),
      logins: num(loginTotals.logins),
      failedLogins: num(loginTotals.failed_logins),
    },
    sessionsPerDay: [...perDay.values()],
    topUsers: topUsers.slice(0, 15),
    mfaCoverage: mfaDays,
    activeUsersPerDay: windowDates(window).map((date) => ({ date, users: num(rows('activeUsersPerDay').find((r) => str(r.event_date) === date)?.users) })),
    topResources: topResourcesPerProtocol(rows('topResourcesPerProtocol')),
    loginsByHourOfWeek: rows('loginsByHourOfWeek').map((r) => ({ dow: num(r.dow), hour: num(r.hour), logins: num(r.logins) })),
    queries: Object.fromEntries(USAGE_QUERIES.map((q) => [q.id, q.sql])),
  };
}

/** The query orders by protocol, then sessions: keep the first 10 of each protocol. */
function topResourcesPerProtocol(rows: Record<string, Cell>[]): NonNullable<UsageOverview['topResources']> {
  const perProtocol = new Map<string, number>();
  return rows.flatMap((r) => {
    const protocol = str(r.protocol);
    const n = (perProtocol.get(protocol) ?? 0) + 1;
    perProtocol.set(protocol, n);
    return n <= 10 ? [{ protocol, resource: str(r.resource), sessions: num(r.sessions) }] : [];
  });
}
