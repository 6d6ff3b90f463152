import { SESSIONS_CTE } from './session-protocols';

export interface UsageQuery {
  id: 'sessionsPerDay' | 'topUsers' | 'mfaCoverage' | 'loginsByHourOfWeek' | 'loginTotals';
  title: string;
  /** Athena-dialect SQL over the event views; runs unchanged on both engines. */
  sql: string;
}

/** The queries behind the overview dashboard's usage-pattern charts. */
export const USAGE_QUERIES: readonly UsageQuery[] = [
  {
    id: 'sessionsPerDay',
    title: 'Sessions per day by protocol',
    sql: `WITH ${SESSIONS_CTE}
SELECT event_date, protocol, count(*) AS sessions
FROM sessions
GROUP BY event_date, protocol
ORDER BY event_date, protocol`,
  },
  {
    id: 'topUsers',
    title: 'Top users by sessions',
    sql: `WITH ${SESSIONS_CTE}
SELECT "user", count(*) AS sessions
FROM sessions
GROUP BY "user"
ORDER BY sessions DESC, "user"`,
  },
  {
    id: 'mfaCoverage',
    title: 'MFA coverage of sessions',
    sql: `WITH ${SESSIONS_CTE}
SELECT event_date,
  count_if(with_mfa IS NOT NULL) AS with_mfa,
  count_if(with_mfa IS NULL) AS without_mfa
FROM sessions
GROUP BY event_date
ORDER BY event_date`,
  },
  {
    id: 'loginsByHourOfWeek',
    title: 'Logins by hour of week (UTC)',
    sql: `SELECT day_of_week(event_time) AS dow, hour(event_time) AS hour, count(*) AS logins
FROM user_login
WHERE success
GROUP BY day_of_week(event_time), hour(event_time)
ORDER BY dow, hour`,
  },
  {
    id: 'loginTotals',
    title: 'Logins and failed logins',
    sql: `SELECT count_if(success) AS logins, count_if(NOT success) AS failed_logins
FROM user_login`,
  },
];

export function usageQuery(id: UsageQuery['id']): UsageQuery {
  const q = USAGE_QUERIES.find((u) => u.id === id);
  if (!q) throw new Error(`unknown usage query ${id}`);
  return q;
}
