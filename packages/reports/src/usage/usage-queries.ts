import type { UsageFilters } from '@access-monitor/contracts';
import { loginWhere, NO_FILTERS, resourcesCte, sessionsCte } from './session-protocols';

export interface UsageQuery {
  id: 'sessionsPerDay' | 'activeUsersPerDay' | 'topUsers' | 'topResourcesPerProtocol' | 'mfaCoverage' | 'loginsByHourOfWeek' | 'loginTotals';
  title: string;
  /** Athena-dialect SQL over the event views; runs unchanged on both engines. */
  sql: string;
}

interface UsageQueryDefinition {
  id: UsageQuery['id'];
  title: string;
  /** The SQL narrowed by the overview's filters; filter values only ever enter as SQL literals. */
  render: (filters: UsageFilters) => string;
}

const loginFilter = (base: string | undefined, filters: UsageFilters, separator = '\n') => {
  const where = loginWhere(base, filters);
  return where ? `${separator}WHERE ${where}` : '';
};

const DEFINITIONS: readonly UsageQueryDefinition[] = [
  {
    id: 'sessionsPerDay',
    title: 'Sessions per day by protocol',
    render: (f) => `WITH ${sessionsCte(f)}
SELECT event_date, protocol, count(*) AS sessions
FROM sessions
GROUP BY event_date, protocol
ORDER BY event_date, protocol`,
  },
  {
    id: 'activeUsersPerDay',
    title: 'Active users per day',
    // Active: started a session or logged in successfully that day.
    render: (f) => `WITH ${sessionsCte(f)},
activity AS (
  SELECT event_date, "user" FROM sessions
  UNION ALL
  SELECT event_date, "user" FROM user_login${loginFilter('success', f, ' ')}
)
SELECT event_date, count(DISTINCT "user") AS users
FROM activity
GROUP BY event_date
ORDER BY event_date`,
  },
  {
    id: 'topUsers',
    title: 'Top users by sessions',
    render: (f) => `WITH ${sessionsCte(f)}
SELECT "user", count(*) AS sessions
FROM sessions
GROUP BY "user"
ORDER BY sessions DESC, "user"`,
  },
  {
    id: 'topResourcesPerProtocol',
    title: 'Top resources per protocol',
    render: (f) => `WITH ${resourcesCte(f)}
SELECT protocol, resource, count(*) AS sessions
FROM resources
GROUP BY protocol, resource
ORDER BY protocol, sessions DESC, resource`,
  },
  {
    id: 'mfaCoverage',
    title: 'MFA coverage of sessions',
    render: (f) => `WITH ${sessionsCte(f)}
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
    render: (f) => `SELECT day_of_week(event_time) AS dow, hour(event_time) AS hour, count(*) AS logins
FROM user_login${loginFilter('success', f)}
GROUP BY day_of_week(event_time), hour(event_time)
ORDER BY dow, hour`,
  },
  {
    id: 'loginTotals',
    title: 'Logins and failed logins',
    render: (f) => `SELECT count_if(success) AS logins, count_if(NOT success) AS failed_logins
FROM user_login${loginFilter(undefined, f)}`,
  },
];

/** The queries behind the overview dashboard's usage-pattern charts, unfiltered. */
export const USAGE_QUERIES: readonly UsageQuery[] = DEFINITIONS.map(({ id, title, render }) => ({ id, title, sql: render(NO_FILTERS) }));

export function usageQuery(id: UsageQuery['id']): UsageQuery {
  const q = USAGE_QUERIES.find((u) => u.id === id);
  if (!q) throw new Error(`unknown usage query ${id}`);
  return q;
}

/** A usage query narrowed by the overview's filters (user, protocol, cluster, host); logins ignore protocol and host. */
export function filteredUsageQuery(id: UsageQuery['id'], filters: UsageFilters): UsageQuery {
  const d = DEFINITIONS.find((u) => u.id === id);
  if (!d) throw new Error(`unknown usage query ${id}`);
  return { id, title: d.title, sql: d.render(filters) };
}
