import { RESOURCES_CTE, SESSIONS_CTE } from './session-protocols';

export interface UsageQuery {
  id: 'sessionsPerDay' | 'activeUsersPerDay' | 'topUsers' | 'topResourcesPerProtocol' | 'mfaCoverage' | 'loginsByHourOfWeek' | 'loginTotals';
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
    id: 'activeUsersPerDay',
    title: 'Active users per day',
    // Active: started a session or logged in successfully that day.
    sql: `WITH ${SESSIONS_CTE},
activity AS (
  SELECT event_date, "user" FROM sessions
  UNION ALL
  SELECT event_date, "user" FROM user_login WHERE success
)
SELECT event_date, count(DISTINCT "user") AS users
FROM activity
GROUP BY event_date
ORDER BY event_date`,
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
    id: 'topResourcesPerProtocol',
    title: 'Top resources per protocol',
    sql: `WITH ${RESOURCES_CTE}
SELECT protocol, resource, count(*) AS sessions
FROM resources
GROUP BY protocol, resource
ORDER BY protocol, sessions DESC, resource`,
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
