import { z } from 'zod';

/**
 * Response actions (`response_action` resources): a rule runs a finding or a saved audit query on a
 * schedule and, when its condition holds, notifies destinations and optionally responds (a Teleport lock).
 * The vocabulary follows Teleport's `access_monitoring_rule` where it fits: `notification.name` is a
 * destination declared in the config, `recipients` are channels or addresses.
 */

export const ACTION_NAME_RULE = 'a response action name is 1–63 characters of a-z, 0-9, - and _, starting with a letter or digit';
export const ResponseActionName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, ACTION_NAME_RULE)
  .refine((n) => n !== 'new', 'the name "new" is reserved: /actions/new is the editor');
export type ResponseActionName = z.infer<typeof ResponseActionName>;

/** What the rule runs: a finding of a security report (`<report>/<query id>`) or a saved audit query. */
export const ActionSource = z.union([
  z.object({ finding: z.string().regex(/^[a-z0-9_-]+\/[a-z0-9_-]+$/, 'expected <report>/<finding id>, e.g. privilege_access_report/ssh_sessions_with_weak_security') }).strict(),
  z.object({ audit_query: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'expected the name of a saved audit query') }).strict(),
]);
export type ActionSource = z.infer<typeof ActionSource>;

/** Teleport's report windows, or everything since the rule last fired (at most 120 days). */
export const ACTION_WINDOWS = ['7d', '30d', '90d', '120d', 'since_last_firing'] as const;
export const ActionWindow = z.enum(ACTION_WINDOWS, { error: `window must be one of ${ACTION_WINDOWS.join(', ')}` });
export type ActionWindow = z.infer<typeof ActionWindow>;

/** Either a fixed interval (`15m`, `1h`, `24h`; at least 1 minute) or a 5-field cron expression in UTC. */
export const ActionSchedule = z.union([
  z.object({ interval: z.string().regex(/^\d+(m|h|d)$/, 'expected an interval such as 15m, 1h or 1d') }).strict(),
  z.object({ cron: z.string().min(1).max(200) }).strict(),
]);
export type ActionSchedule = z.infer<typeof ActionSchedule>;

export const ActionCondition = z.union([
  /** Only rows never sent before for this rule, compared by `key` (default: the finding's entity columns). */
  z.object({ new_rows: z.object({ key: z.array(z.string().min(1)).min(1).optional() }).strict() }).strict(),
  /** Fires when the result has at least `min` rows. */
  z.object({ row_count_at_least: z.number().int().min(1) }).strict(),
]);
export type ActionCondition = z.infer<typeof ActionCondition>;

/** Teleport's `notification: { name, recipients }`: a destination declared in the config, and where in it. */
export const ActionNotification = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'expected the name of a destination declared under actions.destinations'),
    recipients: z.array(z.string().min(1).max(320)).max(50).default([]),
  })
  .strict();
export type ActionNotification = z.infer<typeof ActionNotification>;

/** A Teleport lock of each offending user (`tctl lock --user … --message … --ttl …`); dry run unless said otherwise. */
export const TeleportLockResponse = z
  .object({
    teleport_lock: z
      .object({
        ttl: z.string().regex(/^\d+(m|h|d)$/, 'expected a lock TTL such as 30m, 12h or 7d'),
        message: z.string().max(500).optional(),
        dry_run: z.boolean().default(true),
      })
      .strict(),
  })
  .strict();
export type TeleportLockResponse = z.infer<typeof TeleportLockResponse>;

/** `PUT /api/v1/actions/:name` body: a `response_action` resource's spec. */
export const SaveResponseAction = z
  .object({
    description: z.string().max(2000).default(''),
    source: ActionSource,
    window: ActionWindow.default('7d'),
    schedule: ActionSchedule,
    condition: ActionCondition.default({ new_rows: {} }),
    notifications: z.array(ActionNotification).max(20).default([]),
    response: TeleportLockResponse.optional(),
    enabled: z.boolean().default(true),
  })
  .strict();
export type SaveResponseAction = z.infer<typeof SaveResponseAction>;

/** One immutable revision of a response action. */
export const ResponseAction = SaveResponseAction.extend({
  name: ResponseActionName,
  revision: z.number().int().min(1),
  savedBy: z.string(),
  savedAt: z.string(),
  deleted: z.boolean().default(false),
});
export type ResponseAction = z.infer<typeof ResponseAction>;

export const ResponseActionRevisionList = z.object({ revisions: z.array(ResponseAction) });
export type ResponseActionRevisionList = z.infer<typeof ResponseActionRevisionList>;

export const responseActionEtag = (a: Pick<ResponseAction, 'name' | 'revision'>): string => `"${a.name}.r${a.revision}"`;

export const FIRING_STATES = ['RUNNING', 'NOTHING_TO_SEND', 'DELIVERED', 'PARTIALLY_DELIVERED', 'FAILED'] as const;
export const FiringState = z.enum(FIRING_STATES);
export type FiringState = z.infer<typeof FiringState>;

export const DeliveryAttempt = z.object({
  at: z.string(),
  durationMs: z.number(),
  /** The receiver's HTTP status (or SMTP reply code); absent when no answer came (timeout, refused, DNS). */
  statusCode: z.number().int().optional(),
  error: z.string().optional(),
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

export const DestinationDelivery = z.object({
  destination: z.string(),
  type: z.string(),
  state: z.enum(['DELIVERED', 'FAILED']),
  attempts: z.array(DeliveryAttempt),
});
export type DestinationDelivery = z.infer<typeof DestinationDelivery>;

/** One `tctl lock` the rule asked for: what was (or, in a dry run, would have been) run, and how it ended. */
export const ResponseRecord = z.object({
  kind: z.literal('teleport_lock'),
  user: z.string(),
  dryRun: z.boolean(),
  args: z.array(z.string()),
  exitCode: z.number().int().nullable(),
  stderr: z.string(),
  error: z.string().optional(),
});
export type ResponseRecord = z.infer<typeof ResponseRecord>;

/** A rule's firing for one schedule slot (or a manual/test fire): created once across instances. */
export const Firing = z.object({
  id: z.string(),
  rule: z.string(),
  ruleRevision: z.number().int(),
  trigger: z.enum(['schedule', 'manual', 'test']),
  /** The schedule slot this firing covers (ISO), or the moment of a manual fire. */
  slot: z.string(),
  state: FiringState,
  window: z.object({ start: z.string(), end: z.string() }),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  startedBy: z.string().optional(),
  executionId: z.string().optional(),
  /** Rows of the result, rows left after triage exceptions, and rows sent (new rows for `new_rows`). */
  totalRows: z.number().int(),
  suppressedRows: z.number().int().default(0),
  sentRows: z.number().int(),
  payloadSha256: z.string().optional(),
  deliveries: z.array(DestinationDelivery),
  responses: z.array(ResponseRecord).default([]),
  error: z.string().optional(),
});
export type Firing = z.infer<typeof Firing>;

/** How a rule looks in the list: its latest revision plus when it fires next and how it last fired. */
export const ResponseActionSummary = z.object({
  action: ResponseAction,
  nextFiringAt: z.string().nullable(),
  lastFiring: Firing.nullable(),
});
export type ResponseActionSummary = z.infer<typeof ResponseActionSummary>;

export const ResponseActionList = z.object({ actions: z.array(ResponseActionSummary) });
export type ResponseActionList = z.infer<typeof ResponseActionList>;
export const FiringList = z.object({ firings: z.array(Firing) });
export type FiringList = z.infer<typeof FiringList>;

/** `POST /api/v1/actions/:name/firings` body: fire now (test: to the destinations, never responding for real). */
export const FireAction = z.object({ test: z.boolean().default(false) }).strict();
export type FireAction = z.infer<typeof FireAction>;

/** `POST /api/v1/actions/preview`: what a rule would send with today's data, before saving it. */
export const ActionPreview = z.object({
  window: z.object({ start: z.string(), end: z.string() }),
  totalRows: z.number().int(),
  suppressedRows: z.number().int(),
  sendRows: z.number().int(),
  /** Why fewer rows are sent than found (new_rows): the columns a row is known by, rows repeating a key, rows sent before. */
  keyColumns: z.array(z.string()).default([]),
  repeatedRows: z.number().int().default(0),
  alreadySentRows: z.number().int().default(0),
  destinations: z.array(z.string()),
  columns: z.array(z.string()),
  rows: z.array(z.record(z.string(), z.unknown())),
  /** Users a teleport_lock response would lock (dry run or not). */
  lockUsers: z.array(z.string()),
});
export type ActionPreview = z.infer<typeof ActionPreview>;

/** Destinations declared in the config, as the API shows them: never their URLs' secrets or keys. */
export const DestinationInfo = z.object({ name: z.string(), type: z.enum(['webhook', 'slack', 'email', 'pagerduty']) });
export type DestinationInfo = z.infer<typeof DestinationInfo>;
export const DestinationList = z.object({ destinations: z.array(DestinationInfo) });
export type DestinationList = z.infer<typeof DestinationList>;

// ---- Triage of findings ----

export const TRIAGE_STATUSES = ['accepted_risk', 'false_positive', 'open'] as const;
export const TriageStatus = z.enum(TRIAGE_STATUSES);
export type TriageStatus = z.infer<typeof TriageStatus>;

/** `PUT /api/v1/reports/:name/findings/:id/triage` body: mark one entity (its entity columns' values). */
export const SaveTriage = z
  .object({
    entity: z.record(z.string(), z.string().nullable()),
    status: TriageStatus,
    reason: z.string().min(1).max(2000),
    /** accepted_risk only: the last day (YYYY-MM-DD, UTC) the exception holds. */
    expires: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  })
  .strict();
export type SaveTriage = z.infer<typeof SaveTriage>;

/** One immutable triage revision of an entity of a finding. */
export const TriageRecord = SaveTriage.extend({
  report: z.string(),
  finding: z.string(),
  /** Stable key of the entity: its entity columns' values, JSON-encoded in column order. */
  entityKey: z.string(),
  revision: z.number().int().min(1),
  savedBy: z.string(),
  savedAt: z.string(),
});
export type TriageRecord = z.infer<typeof TriageRecord>;
export const TriageList = z.object({ triage: z.array(TriageRecord) });
