import { SESSION_PROTOCOLS, USAGE_CHARTS, windowDates, type Cell, type DateWindow, type UsageChart, type UsageFilters, type UsageOverview, type UsageOverviewPart } from '@access-monitor/contracts';
import { filteredUsageQuery, type UsageQuery } from '@access-monitor/reports';
import type { Caller, Executions } from '../executions/executions-service';

type Rows = Record<string, Cell>[];
/** The rows of one usage query over the window being built. */
export type UsageRows = (id: UsageQuery['id']) => Promise<Rows>;

const num = (v: Cell | undefined): number => (typeof v === 'number' ? v : Number(v ?? 0));
const str = (v: Cell | undefined): string => (v === null || v === undefined ? '' : String(v));

/** The queries each part of the overview needs: totals reuse the top-users and MFA rows. */
export const CHART_QUERIES: Record<UsageChart, readonly UsageQuery['id'][]> = {
  totals: ['topUsers', 'mfaCoverage', 'loginTotals'],
  sessionsPerDay: ['sessionsPerDay'],
  topUsers: ['topUsers'],
  mfaCoverage: ['mfaCoverage'],
  loginsByHourOfWeek: ['loginsByHourOfWeek'],
};

/** The SQL of the queries behind `charts`, narrowed by the filters, by query id: what "Open query" opens. */
function chartQueries(charts: readonly UsageChart[], filters: UsageFilters): Record<string, string> {
  const ids = [...new Set(charts.flatMap((c) => CHART_QUERIES[c]))];
  return Object.fromEntries(ids.map((id) => [id, filteredUsageQuery(id, filters).sql]));
}

/** Runs each usage query, narrowed by the filters, at most once for one build, as the server's own work asked for by `caller`. */
export function usageRows(executions: Executions, caller: Caller, window: DateWindow, requestId: string, filters: UsageFilters = {}): UsageRows {
  const runs = new Map<UsageQuery['id'], Promise<Rows>>();
  return (id) => {
    let run = runs.get(id);
    if (!run) {
      const sql = filteredUsageQuery(id, filters).sql;
      run = executions.runToCompletion(caller, { sql, window, intent: [requestId, id] }).then((r) => r.rows);
      runs.set(id, run);
    }
    return run;
  };
}

/** Runs the usage queries the overview's charts draw (only those) for one window and shapes them. */
export async function buildUsageOverview(executions: Executions, caller: Caller, window: DateWindow, requestId: string, filters: UsageFilters = {}): Promise<UsageOverview> {
  const rows = usageRows(executions, caller, window, requestId, filters);
  const [totals, sessionsPerDay, topUsers, mfaCoverage, loginsByHourOfWeek] = await Promise.all([
    shapeTotals(rows),
    shapeSessionsPerDay(rows, window),
    shapeTopUsers(rows),
    shapeMfaCoverage(rows, window),
    shapeLogins(rows),
  ]);
  return { window, totals, sessionsPerDay, topUsers, mfaCoverage, loginsByHourOfWeek, queries: chartQueries(USAGE_CHARTS, filters) };
}

/** One part of the overview: only its own queries run, so a dashboard draws each chart as soon as it is ready. */
export async function buildUsageChart(rows: UsageRows, window: DateWindow, chart: UsageChart, filters: UsageFilters = {}): Promise<UsageOverviewPart> {
  const part = { window, queries: chartQueries([chart], filters) };
  switch (chart) {
    case 'totals':
      return { ...part, totals: await shapeTotals(rows) };
    case 'sessionsPerDay':
      return { ...part, sessionsPerDay: await shapeSessionsPerDay(rows, window) };
    case 'topUsers':
      return { ...part, topUsers: await shapeTopUsers(rows) };
    case 'mfaCoverage':
      return { ...part, mfaCoverage: await shapeMfaCoverage(rows, window) };
    case 'loginsByHourOfWeek':
      return { ...part, loginsByHourOfWeek: await shapeLogins(rows) };
  }
}

async function shapeSessionsPerDay(rows: UsageRows, window: DateWindow): Promise<UsageOverview['sessionsPerDay']> {
  const perDay = new Map(windowDates(window).map((date) => [date, { date, ssh: 0, db: 0, kube: 0, app: 0, desktop: 0 }]));
  for (const r of await rows('sessionsPerDay')) {
    const day = perDay.get(str(r.event_date));
    const protocol = str(r.protocol) as (typeof SESSION_PROTOCOLS)[number];
    if (day && SESSION_PROTOCOLS.includes(protocol)) day[protocol] += num(r.sessions);
  }
  return [...perDay.values()];
}

async function shapeMfaCoverage(rows: UsageRows, window: DateWindow): Promise<UsageOverview['mfaCoverage']> {
  const mfa = new Map(windowDates(window).map((date) => [date, { date, withMfa: 0, withoutMfa: 0 }]));
  for (const r of await rows('mfaCoverage')) {
    const day = mfa.get(str(r.event_date));
    if (day) {
      day.withMfa = num(r.with_mfa);
      day.withoutMfa = num(r.without_mfa);
    }
  }
  return [...mfa.values()];
}

const allUsers = async (rows: UsageRows) => (await rows('topUsers')).map((r) => ({ user: str(r.user), sessions: num(r.sessions) }));

async function shapeTopUsers(rows: UsageRows): Promise<UsageOverview['topUsers']> {
  return (await allUsers(rows)).slice(0, 15);
}

async function shapeTotals(rows: UsageRows): Promise<UsageOverview['totals']> {
  const [users, mfaRows, loginRows] = await Promise.all([allUsers(rows), rows('mfaCoverage'), rows('loginTotals')]);
  const loginTotals = loginRows[0] ?? {};
  return {
    sessions: users.reduce((n, u) => n + u.sessions, 0),
    users: users.length,
    sessionsWithMfa: mfaRows.reduce((n, r) => n + num(r.with_mfa), 0),
    logins: num(loginTotals.logins),
    failedLogins: num(loginTotals.failed_logins),
  };
}

async function shapeLogins(rows: UsageRows): Promise<UsageOverview['loginsByHourOfWeek']> {
  return (await rows('loginsByHourOfWeek')).map((r) => ({ dow: num(r.dow), hour: num(r.hour), logins: num(r.logins) }));
}
