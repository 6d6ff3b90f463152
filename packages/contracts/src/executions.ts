import { z } from 'zod';
import { DateWindow, IsoDate, MAX_WINDOW_DAYS } from './window';
import { Problem } from './problem';
import { QueryName } from './queries';

export const ExecutionState = z.enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);
export type ExecutionState = z.infer<typeof ExecutionState>;

const TERMINAL_STATES: ReadonlySet<ExecutionState> = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
/** An execution in this state will not change any more. */
export const isTerminalState = (state: ExecutionState): boolean => TERMINAL_STATES.has(state);

const Sql = z.string().max(100_000, 'SQL is longer than 100000 characters');

/** The saved query the SQL was opened from, if any: names the CSV download and the history entry. */
const FromQuery = QueryName.optional();

/** `POST /api/v1/executions`: a window as `days` (ending today, or on `end`) or as explicit `start`/`end`. */
export const StartExecution = z.union([
  z.object({ sql: Sql, days: z.number().int().min(1).max(MAX_WINDOW_DAYS, `days must be at most ${MAX_WINDOW_DAYS}`), end: IsoDate.optional(), query: FromQuery }).strict(),
  z.object({ sql: Sql, start: IsoDate, end: IsoDate, query: FromQuery }).strict(),
]);
export type StartExecution = z.infer<typeof StartExecution>;

/** Which part of the product ran an execution: the editor, a report run, a response action, the timeline, the overview, the CLI. */
export const ExecutionOrigin = z.enum(['interactive', 'report-run', 'response-action', 'timeline', 'usage', 'cli']);
export type ExecutionOrigin = z.infer<typeof ExecutionOrigin>;

export const ColumnInfo = z.object({ name: z.string(), type: z.string() });
export type ColumnInfo = z.infer<typeof ColumnInfo>;

export const Execution = z.object({
  id: z.string(),
  state: ExecutionState,
  sql: z.string(),
  window: DateWindow,
  engine: z.string(),
  /** Who started it (absent for executions the server ran itself). */
  user: z.string().optional(),
  /** The saved query it was run from, when it was. */
  query: z.string().optional(),
  origin: ExecutionOrigin.optional(),
  /** The person a server-run execution was asked for (the user who started a report run). */
  onBehalfOf: z.string().optional(),
  submittedAt: z.string(),
  finishedAt: z.string().optional(),
  elapsedMs: z.number(),
  bytesScanned: z.number(),
  rowCount: z.number().optional(),
  columns: z.array(ColumnInfo).optional(),
  /** A succeeded execution's rows are served until then (`limits.result_retention`); after, 410 …/result-gone. */
  resultExpiresAt: z.string().optional(),
  error: Problem.optional(),
  /**
   * Embedded engine, statements reading event views: days of the window read from the typed event store and
   * days read by JSON extraction from the source files (not yet built, or asked for with enginePath=json).
   */
  enginePath: z.object({ typedDays: z.number().int(), jsonDays: z.number().int() }).optional(),
});
export type Execution = z.infer<typeof Execution>;

/** A cell as JSON: numbers for numeric columns (strings beyond 2^53), booleans, strings, or null. */
export const Cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Cell = z.infer<typeof Cell>;

export const ResultsQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
});
export type ResultsQuery = z.infer<typeof ResultsQuery>;

export const ResultsPage = z.object({
  columns: z.array(ColumnInfo),
  rows: z.array(z.array(Cell)),
  offset: z.number(),
  totalRows: z.number(),
});
export type ResultsPage = z.infer<typeof ResultsPage>;

/**
 * A CSV download (`results.csv`, `rows.csv`): for people by default, every cell that would start a
 * spreadsheet formula prefixed with `'`; `raw=true` gives the stored Athena-format bytes exactly, for tools.
 */
export const CsvDownloadQuery = z.object({ raw: z.enum(['true', 'false']).default('false') });
export type CsvDownloadQuery = z.infer<typeof CsvDownloadQuery>;

/** `GET /api/v1/executions?mine=true|false&q=…&limit=…`: newest first. */
export const ExecutionsQuery = z.object({
  mine: z.enum(['true', 'false']).default('true'),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Where the previous page stopped (its `nextCursor`): the next page starts after it. */
  cursor: z.string().regex(/^\d{13}-[A-Za-z0-9_-]{1,64}$/, 'not a history cursor').optional(),
});
export type ExecutionsQuery = z.infer<typeof ExecutionsQuery>;

/** A page of history, newest first; `nextCursor` when more may follow (pass it as `cursor`). */
export const ExecutionList = z.object({ executions: z.array(Execution), nextCursor: z.string().optional() });
export type ExecutionList = z.infer<typeof ExecutionList>;

/**
 * `GET /api/v1/executions/estimate?days=N[&end=D]` or `?start=D&end=D`: what a run over the window would scan,
 * from the partitions (date folders) it touches, before anything runs.
 */
export const EstimateQuery = z.union([
  z.object({ days: z.coerce.number().int().min(1).max(MAX_WINDOW_DAYS, `days must be at most ${MAX_WINDOW_DAYS}`), end: IsoDate.optional() }).strict(),
  z.object({ start: IsoDate, end: IsoDate }).strict(),
]);
export type EstimateQuery = z.infer<typeof EstimateQuery>;

export const ExecutionEstimate = z.object({
  window: DateWindow,
  /** Upper bound of the bytes a statement reading the views scans; null when the engine cannot tell before running. */
  bytes: z.number().nullable(),
  /** `limits.max_bytes_scanned`, when set: a run over it is refused with …/scan-limit. */
  maxBytesScanned: z.number().optional(),
  /** `limits.scan_budget`, when set: bytes all instances may scan this period, shared by everyone; spent → 429 …/scan-budget-exhausted. */
  scanBudget: z.object({ bytes: z.number(), usedBytes: z.number(), leftBytes: z.number(), refillsAt: z.string() }).optional(),
});
export type ExecutionEstimate = z.infer<typeof ExecutionEstimate>;
