import { z } from 'zod';
import { DateWindow } from './window';

export const SESSION_PROTOCOLS = ['ssh', 'db', 'kube', 'app', 'desktop'] as const;
export type SessionProtocol = (typeof SESSION_PROTOCOLS)[number];

/** Parts of the overview that can be asked for one at a time, so each chart draws as soon as its queries end. */
export const USAGE_CHARTS = ['totals', 'sessionsPerDay', 'topUsers', 'mfaCoverage', 'loginsByHourOfWeek'] as const;
export type UsageChart = (typeof USAGE_CHARTS)[number];

export const UsageQuery = z.object({
  days: z.coerce.number().int(),
  end: z.string().optional(),
  /** One part of the overview (`?chart=topUsers`); without it, the whole overview. */
  chart: z.enum(USAGE_CHARTS).optional(),
});

/** `GET /api/v1/usage/overview?days=30`: what the overview dashboard draws. */
export const UsageOverview = z.object({
  window: DateWindow,
  totals: z.object({ sessions: z.number(), users: z.number(), sessionsWithMfa: z.number(), logins: z.number(), failedLogins: z.number() }),
  sessionsPerDay: z.array(z.object({ date: z.string(), ssh: z.number(), db: z.number(), kube: z.number(), app: z.number(), desktop: z.number() })),
  topUsers: z.array(z.object({ user: z.string(), sessions: z.number() })),
  mfaCoverage: z.array(z.object({ date: z.string(), withMfa: z.number(), withoutMfa: z.number() })),
  /** Users who started a session or logged in, per day (optional: added after the first dashboard). */
  activeUsersPerDay: z.array(z.object({ date: z.string(), users: z.number() })).optional(),
  /** Most used resources (host, cluster, database, app, desktop) per protocol, at most 10 each. */
  topResources: z.array(z.object({ protocol: z.string(), resource: z.string(), sessions: z.number() })).optional(),
  /** dow: 1 = Monday … 7 = Sunday (ISO), hour 0–23, UTC. */
  loginsByHourOfWeek: z.array(z.object({ dow: z.number(), hour: z.number(), logins: z.number() })),
  /** The SQL behind each chart, so the UI can open it in the query page. */
  queries: z.record(z.string(), z.string()),
});
export type UsageOverview = z.infer<typeof UsageOverview>;

/** `GET /api/v1/usage/overview?days=30&chart=topUsers`: the window, that part of the overview and the SQL behind it. */
export const UsageOverviewPart = UsageOverview.partial().required({ window: true, queries: true });
export type UsageOverviewPart = z.infer<typeof UsageOverviewPart>;
