import { z } from 'zod';
import { TriageRecord } from './actions';
import { ColumnInfo, ResultsPage } from './executions';
import { ChartTrend } from './chart-trend';
import { Problem } from './problem';
import { DateWindow, IsoDate, WindowDays } from './window';

/** How urgent a finding is, lowest first. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

/*
 * The report model, declared once: a security report → its audit queries → (per run) their findings.
 * The built-in reports (packages/reports) are data of these types, imported custom reports are stored
 * as them, and the API's report shapes below are projections of them.
 */

/**
 * How a finding is drawn, as Teleport's UI draws it: one stacked bar per day, one segment per
 * `series` value (a user, or a node for join tokens), sized by `count`.
 */
export const FindingChart = z.object({
  type: z.literal('stacked-bar'),
  x: z.literal('event_date'),
  y: z.literal('count'),
  /** Output column of chartSql naming the segment: 'user' for most findings. */
  series: z.string(),
});
export type FindingChart = z.infer<typeof FindingChart>;

/** A tunable value a query was built with (privileged roles, a threshold), shown beside its findings. */
export const QueryParameter = z.object({ name: z.string(), title: z.string(), value: z.union([z.array(z.string()).readonly(), z.number()]) });
export type QueryParameter = z.infer<typeof QueryParameter>;

/**
 * `condition`: a practice that persists until someone fixes it (sessions without MFA, long-lived certificates),
 * so an entity gone since the previous period is "resolved". `event`: one-off actions (lock removals, role
 * changes) that are not expected to recur, so an entity absent now is only "not seen this period".
 */
export const FindingKind = z.enum(['condition', 'event']);
export type FindingKind = z.infer<typeof FindingKind>;

/** An audit query of a security report: what it finds, how urgent it is, what to change, and its SQL. */
export const AuditQueryDefinition = z.object({
  /** Stable id; for Teleport's built-in report, Teleport's own audit query name. */
  id: z.string(),
  title: z.string(),
  /** What the query finds. */
  description: z.string(),
  severity: Severity,
  /** What to change in Teleport so the finding stops: the setting, role option or command. */
  recommendation: z.string(),
  chart: FindingChart,
  /**
   * Athena-dialect SQL over the event views returning `event_date, count, <series>` per day and
   * series value, as Teleport's audit queries do. A single SELECT (no top-level WITH), so it runs
   * unchanged where Teleport prepends its view CTEs.
   */
  chartSql: z.string(),
  /**
   * One row per finding (an offending event, or an aggregate such as a burst), starting with
   * `event_time`; the sum of chartSql's counts equals its row count. Null for queries imported from
   * Teleport, which carry only the chart query.
   */
  detailSql: z.string().nullable(),
  /** Detail columns that identify who or what a finding is about, to compare two periods. */
  entityColumns: z.array(z.string()).readonly(),
  parameters: z.array(QueryParameter).readonly().optional(),
  /** How to read the comparison with the previous period; default `condition`. */
  kind: FindingKind.optional(),
});
export type AuditQueryDefinition = z.infer<typeof AuditQueryDefinition>;

/** A security report: a named set of audit queries run together over one window. */
export const SecurityReport = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  version: z.string(),
  queries: z.array(AuditQueryDefinition).readonly(),
  /** Built-in reports cannot be modified or deleted. */
  readOnly: z.boolean(),
});
export type SecurityReport = z.infer<typeof SecurityReport>;

/** A report's state for one window (`report-states/<report>/<days>d.json`). */
export const ReportStateName = z.enum(['NEVER_RUN', 'RUNNING', 'READY', 'FAILED']);
export type ReportStateName = z.infer<typeof ReportStateName>;

export const ReportWindowState = z.object({
  report: z.string(),
  days: WindowDays,
  state: ReportStateName,
  /** The run in progress, or the one that ended last. */
  runId: z.string().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** Why the last run failed (FAILED), e.g. interrupted by a restart. */
  error: Problem.optional(),
  /** Newest run that finished (READY); still shown while a refresh is RUNNING or after one FAILED. */
  lastReadyRunId: z.string().optional(),
  lastReadyAt: z.string().optional(),
  /** While RUNNING: how many of the run's queries have ended, of how many. */
  progress: z.object({ done: z.number().int(), total: z.number().int() }).optional(),
});
export type ReportWindowState = z.infer<typeof ReportWindowState>;

/** Metadata of one audit query of a report (no SQL: that is in the run and the definition endpoint). */
export const AuditQuerySummary = AuditQueryDefinition.pick({ id: true, title: true, description: true, severity: true, recommendation: true });
export type AuditQuerySummary = z.infer<typeof AuditQuerySummary>;

export const ReportSummary = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  readOnly: z.boolean(),
  queries: z.array(AuditQuerySummary),
  /** One per report window (7, 30, 90, 120), in that order. */
  states: z.array(ReportWindowState),
});
export type ReportSummary = z.infer<typeof ReportSummary>;

/** `GET /api/v1/reports` */
export const ReportList = z.object({ reports: z.array(ReportSummary) });
export type ReportList = z.infer<typeof ReportList>;

/** `POST /api/v1/reports/:name/runs` body. `end` defaults to today (UTC). */
export const StartReportRun = z.object({ days: WindowDays, end: IsoDate.optional() }).strict();
export type StartReportRun = z.infer<typeof StartReportRun>;

/** A finding's entity (the detail row's `entityColumns`), e.g. `{ user: 'alice', server_id: '…' }`. */
export const FindingEntity = z.record(z.string(), z.string().nullable());
export type FindingEntity = z.infer<typeof FindingEntity>;

/** Entities compared with the previous window of the same length (ending the day before this one starts). */
export const PeriodDiff = z.object({
  previousWindow: DateWindow,
  /** Columns that make up an entity. */
  entityColumns: z.array(z.string()),
  newCount: z.number().int(),
  resolvedCount: z.number().int(),
  persistingCount: z.number().int(),
  /** The entities themselves, each list capped at 200 (counts are exact). */
  new: z.array(FindingEntity),
  resolved: z.array(FindingEntity),
  persisting: z.array(FindingEntity),
  /** Whether every day of the previous window holds events; when not, the comparison is withheld. Absent on runs recorded before it was checked. */
  previousComplete: z.boolean().optional(),
  /** The finding's kind (see FindingKind): an `event` finding's entity absent now is "not seen", never "resolved". */
  findingKind: FindingKind.optional(),
});
export type PeriodDiff = z.infer<typeof PeriodDiff>;

/** One day of a finding's chart: Teleport's `event_date, count, user` rows. */
export const ChartPoint = z.object({ event_date: IsoDate, count: z.number(), series: z.string().nullable() });
export type ChartPoint = z.infer<typeof ChartPoint>;

/** One audit query's outcome inside a run. */
export const RunQueryResult = AuditQuerySummary.extend({
  state: z.enum(['SUCCEEDED', 'FAILED']),
  /** The SQL that ran (Athena dialect, over the views), detail and chart. */
  ...AuditQueryDefinition.pick({ detailSql: true, chartSql: true }).shape,
  /** Column of the chart naming the stacked segment (`user` for most findings). */
  chartSeries: z.string(),
  /** Number of detail rows: one per offending event (or per aggregate such as a burst). */
  rowCount: z.number().int().optional(),
  columns: z.array(ColumnInfo).optional(),
  bytesScanned: z.number(),
  elapsedMs: z.number(),
  /** SHA-256 (hex) of the stored detail result file `runs/<runId>/<id>.csv`. */
  sha256: z.string().optional(),
  /** Every point of the chart query's result, as the run recorded it (absent from the page view). */
  chart: z.array(ChartPoint).optional(),
  /** Only in the page view (`GET /runs/:runId?view=page`): the chart folded as the report page draws it, in place of its points. */
  trend: ChartTrend.optional(),
  diff: PeriodDiff.optional(),
  error: Problem.optional(),
  /** Detail rows whose entity has a triage exception in force (accepted risk, false positive) when the run is read. */
  triagedRowCount: z.number().int().optional(),
  /** Detail rows still open: `rowCount` minus `triagedRowCount`. */
  openRowCount: z.number().int().optional(),
});
export type RunQueryResult = z.infer<typeof RunQueryResult>;

export const DataCompleteness = z.object({
  /** Days of the window with at least one event, with their event count. */
  daysWithData: z.array(z.object({ date: IsoDate, events: z.number().int() })),
  /** Days of the window without any event (UI warns). */
  missingDays: z.array(IsoDate),
  /** Set when the completeness check itself could not run (a scan limit, an engine error): the days above are then unknown. */
  unknown: z.string().optional(),
});
export type DataCompleteness = z.infer<typeof DataCompleteness>;

/** An immutable, finished report run (`runs/<runId>/manifest.json`): the target of `/runs/:runId`. */
export const ReportRun = z.object({
  id: z.string(),
  report: z.string(),
  title: z.string(),
  days: z.number().int(),
  window: DateWindow,
  engine: z.string(),
  /** SUCCEEDED when every query succeeded, PARTIAL when some failed, FAILED when all did. */
  state: z.enum(['SUCCEEDED', 'PARTIAL', 'FAILED']),
  /** Who asked for it; absent when the scheduler ran it. */
  startedBy: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string(),
  bytesScanned: z.number(),
  completeness: DataCompleteness,
  queries: z.array(RunQueryResult),
});
export type ReportRun = z.infer<typeof ReportRun>;

/**
 * `GET /runs/:runId?view=…`: `full` (default) is the run as recorded; `page` is what the report page draws, each
 * chart folded into its 8 largest series per day (`trend`) instead of every point (a tenth of the bytes or less).
 */
export const RunView = z.object({ view: z.enum(['full', 'page']).default('full') });
export type RunView = z.infer<typeof RunView>;

/** `POST /api/v1/reports/:name/runs` answer (202): the window's state, RUNNING with the run id (joined or new). */
export const ReportRunStarted = z.object({ runId: z.string(), joined: z.boolean(), state: ReportWindowState });
export type ReportRunStarted = z.infer<typeof ReportRunStarted>;

/**
 * `GET /api/v1/timeline?user=…&days=…[&end=…]` or `?session=…&days=…`: one user's (or one session's)
 * audit events in the window, oldest first — the drill-down from any finding row.
 */
/** Where a timeline opens: an event's time (ISO 8601, or the engine's `2026-01-09 08:05:00.000`), a UTC day (`2026-01-09`), or an event's uid. */
export const TimelineAt = z
  .string()
  .max(128)
  .regex(
    /^(\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z| UTC|[+-]\d{2}:?\d{2})?)?|[A-Za-z0-9][A-Za-z0-9._:-]*)$/,
    'expected an event time (ISO 8601), a day (YYYY-MM-DD) or an event uid',
  )
  .refine((s) => !/^\d{4}-\d{2}-\d{2}/.test(s) || timelineInstant(s) !== undefined, 'not a valid date or time');
/** The instant a time-like `at` names (a day is its first instant), or undefined for a uid or an impossible date. */
export function timelineInstant(at: string): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z| UTC|[+-]\d{2}:?\d{2})?)?$/.exec(at);
  if (!m) return undefined;
  const day = new Date(`${m[1]}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || !day.toISOString().startsWith(m[1]!)) return undefined;
  if (m[2] === undefined) return day;
  const zone = m[3] === undefined || m[3] === ' UTC' ? 'Z' : m[3];
  const time = new Date(`${m[1]}T${m[2].replace(/(\.\d{3})\d+$/, '$1')}${zone}`);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

export const TimelineOrder = z.enum(['oldest', 'newest']);
export type TimelineOrder = z.infer<typeof TimelineOrder>;

/** Teleport event type names (`session.start`, `db.session.query`), comma-separated in a query string. */
const EventTypeList = z
  .string()
  .max(4096)
  .transform((s) => [...new Set(s.split(',').map((t) => t.trim()).filter((t) => t !== ''))])
  .pipe(z.array(z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'expected event types such as session.start, comma-separated')).max(64));

export const TimelineQuery = z
  .object({
    user: z.string().min(1).max(256).optional(),
    session: z.string().min(1).max(256).optional(),
    days: z.coerce.number().pipe(WindowDays),
    end: IsoDate.optional(),
    /** Open the page holding this event (or the first event at or after this time), marked as the target. */
    at: TimelineAt.optional(),
    /** A page next to one already shown: the `previous` or `next` cursor of a timeline response, opaque. */
    cursor: z.string().regex(/^[A-Za-z0-9_-]{1,2048}$/, 'not a timeline cursor').optional(),
    /** Only these event types. */
    types: EventTypeList.optional(),
    order: TimelineOrder.default('oldest'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict()
  .refine((q) => (q.user === undefined) !== (q.session === undefined), 'give exactly one of user or session')
  .refine((q) => q.at === undefined || q.cursor === undefined, { message: 'give at or cursor, not both', path: ['cursor'] });
export type TimelineQuery = z.infer<typeof TimelineQuery>;

export const TimelineEvent = z.object({
  /** Teleport's event id. */
  uid: z.string(),
  event_time: z.string(),
  event_type: z.string(),
  /** Teleport's event code, e.g. T2000I. */
  code: z.string().nullable(),
  user: z.string().nullable(),
  session_id: z.string().nullable(),
  /** One line a human reads: "ssh session on node-12 as root", "login failed (local)". */
  summary: z.string(),
  /** Whether the event shows MFA (with_mfa / mfa_device), when the event type can carry it. */
  mfa: z.boolean().nullable(),
  /** The whole event as Teleport wrote it. */
  event_data: z.string(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const Timeline = z.object({
  window: DateWindow,
  subject: z.union([z.object({ user: z.string() }), z.object({ session: z.string() })]),
  order: TimelineOrder,
  /** The event types shown; empty means all. */
  types: z.array(z.string()),
  /** Every event type of the subject in the window, with its count, whatever the filter. */
  eventTypes: z.array(z.object({ event_type: z.string(), events: z.number().int() })),
  events: z.array(TimelineEvent),
  /** How many matching events come before this page, in its order. */
  position: z.number().int(),
  totalEvents: z.number().int(),
  /** Cursors of the pages before and after this one (null at either end). */
  previous: z.string().nullable(),
  next: z.string().nullable(),
  /** The uid of the event `at` named (or the first at or after its time): shown highlighted. Null when there is none. */
  target: z.string().nullable(),
});
export type Timeline = z.infer<typeof Timeline>;

/** `GET /api/v1/reports/:name/queries/:id`: an audit query's whole definition, SQL included. */
export const AuditQueryDetail = AuditQuerySummary.extend({
  /** Teleport's chart query and the detail query (null for queries imported from Teleport), as AuditQueryDefinition says. */
  ...AuditQueryDefinition.pick({ chartSql: true, detailSql: true }).shape,
  chartSeries: z.string(),
  /** Detail columns that identify an entity for the period diff. */
  entityColumns: z.array(z.string()),
  parameters: z.array(z.object({ name: z.string(), title: z.string(), value: z.union([z.array(z.string()), z.number()]) })).optional(),
});
export type AuditQueryDetail = z.infer<typeof AuditQueryDetail>;

/** One entry of `GET /api/v1/reports/:name/runs?days=`: a finished run, newest first. */
export const ReportRunSummary = z.object({
  runId: z.string(),
  report: z.string(),
  days: z.number().int(),
  window: DateWindow,
  state: z.enum(['SUCCEEDED', 'PARTIAL', 'FAILED']),
  startedBy: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string(),
  /** Detail rows per query id (absent for a failed query). */
  rowCounts: z.record(z.string(), z.number().int()),
});
export type ReportRunSummary = z.infer<typeof ReportRunSummary>;

export const ReportRunsQuery = z.object({
  days: z.coerce.number().pipe(WindowDays).default(7),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type ReportRunsQuery = z.infer<typeof ReportRunsQuery>;

export const ReportRunList = z.object({ runs: z.array(ReportRunSummary) });
export type ReportRunList = z.infer<typeof ReportRunList>;

/** `GET /api/v1/runs/:runId/queries/:id/rows`: a page of a finding's rows, each with its entity's triage in force (or null). */
export const FindingRowsPage = ResultsPage.extend({
  /** Columns whose values make up a row's entity (what triage marks). */
  entityColumns: z.array(z.string()).optional(),
  /** Aligned with `rows`. */
  triage: z.array(TriageRecord.nullable()).optional(),
});
export type FindingRowsPage = z.infer<typeof FindingRowsPage>;

/** `GET /api/v1/reports/:name/triage?log=true|false`: the exceptions in force, or every revision (newest first). */
export const TriageQuery = z.object({ log: z.enum(['true', 'false']).default('false') }).strict();
export type TriageQuery = z.infer<typeof TriageQuery>;

/** `GET /api/v1/evidence/public-key`: the key evidence manifests are signed with, so auditors can pin it. */
export const EvidencePublicKey = z.object({
  algorithm: z.literal('Ed25519'),
  /** SPKI PEM. */
  publicKeyPem: z.string(),
  /** `SHA256:<base64 of the SHA-256 of the DER SPKI>`, as `access-monitor verify` prints it. */
  fingerprint: z.string(),
});
export type EvidencePublicKey = z.infer<typeof EvidencePublicKey>;
