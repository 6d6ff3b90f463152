import { z } from 'zod';
import { DateWindow } from './window';

export const SESSION_PROTOCOLS = ['ssh', 'db', 'kube', 'app', 'desktop'] as const;
export type SessionProtocol = (typeof SESSION_PROTOCOLS)[number];

/** Parts of the overview that can be asked for one at a time, so each chart draws as soon as its queries end. */
export const USAGE_CHARTS = ['totals', 'sessionsPerDay', 'topUsers', 'mfaCoverage', 'loginsByHourOfWeek'] as const;
export type UsageChart = (typeof USAGE_CHARTS)[number];

/** Longest filter value accepted: Teleport names are far shorter. */
export const USAGE_FILTER_MAX_LENGTH = 256;

// An empty parameter (`?user=`) means no filter; control characters never occur in Teleport names.
const FilterValue = z
  .string()
  .max(USAGE_FILTER_MAX_LENGTH)
  .refine((v) => ![...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), 'must not contain control characters')
  .optional()
  .transform((v) => (v === '' ? undefined : v));

/** The overview's filters (`?user=alice&protocol=ssh&cluster=…&host=…`), each narrowing every chart; absent: the whole cluster. */
export const UsageFilters = z.object({
  user: FilterValue,
  protocol: z
    .union([z.enum(SESSION_PROTOCOLS), z.literal('')])
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  cluster: FilterValue,
  /** The resource a session went to: SSH host, Kubernetes cluster, database service, app or desktop. */
  host: FilterValue,
});
export type UsageFilters = { user?: string | undefined; protocol?: SessionProtocol | undefined; cluster?: string | undefined; host?: string | undefined };
export const USAGE_FILTER_KEYS = ['user', 'protocol', 'cluster', 'host'] as const;

export const UsageQuery = z.object({
  days: z.coerce.number().int(),
  end: z.string().optional(),
  /** One part of the overview (`?chart=topUsers`); without it, the whole overview. */
  chart: z.enum(USAGE_CHARTS).optional(),
  ...UsageFilters.shape,
});

/** `GET /api/v1/usage/overview?days=30`: what the overview dashboard draws. */
export const UsageOverview = z.object({
  window: DateWindow,
  totals: z.object({ sessions: z.number(), users: z.number(), sessionsWithMfa: z.number(), logins: z.number(), failedLogins: z.number() }),
  sessionsPerDay: z.array(z.object({ date: z.string(), ssh: z.number(), db: z.number(), kube: z.number(), app: z.number(), desktop: z.number() })),
  topUsers: z.array(z.object({ user: z.string(), sessions: z.number() })),
  mfaCoverage: z.array(z.object({ date: z.string(), withMfa: z.number(), withoutMfa: z.number() })),
  /** dow: 1 = Monday … 7 = Sunday (ISO), hour 0–23, UTC. */
  loginsByHourOfWeek: z.array(z.object({ dow: z.number(), hour: z.number(), logins: z.number() })),
  /** The SQL behind each chart, so the UI can open it in the query page. */
  queries: z.record(z.string(), z.string()),
});
export type UsageOverview = z.infer<typeof UsageOverview>;

/** `GET /api/v1/usage/overview?days=30&chart=topUsers`: the window, that part of the overview and the SQL behind it. */
export const UsageOverviewPart = UsageOverview.partial().required({ window: true, queries: true });
export type UsageOverviewPart = z.infer<typeof UsageOverviewPart>;
