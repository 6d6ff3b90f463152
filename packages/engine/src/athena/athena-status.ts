import type { QueryExecution } from '@aws-sdk/client-athena';
import type { ExecutionState } from '@access-monitor/contracts';
import { trinoErrorPosition } from '@access-monitor/sql';
import type { EngineErrorInfo } from '../query-engine';

/** Error codes the Athena engine reports besides Athena's own, for the server to map to problem types. */
export const AthenaEngineErrorCodes = {
  /** cancel() was called. */
  cancelled: 'CANCELLED',
  /** Our own deadline (`queryTimeoutMs`) passed and the query was stopped. */
  timeout: 'QUERY_TIMEOUT',
  /** The workgroup's BytesScannedCutoffPerQuery, or the caller's maxBytesScanned, stopped the query (→ …/scan-limit). */
  scanLimit: 'SCAN_LIMIT_EXCEEDED',
  /** Athena said FAILED without naming an error. */
  failed: 'ENGINE_FAILED',
} as const;

const STATES = new Set<ExecutionState>(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);

export function athenaState(execution: QueryExecution): ExecutionState {
  const state = execution.Status?.State as ExecutionState | undefined;
  return state !== undefined && STATES.has(state) ? state : 'QUEUED';
}

/** Athena's (Trino's) error name leads its messages: `COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved`. */
const LEADING_ERROR_NAME = /^([A-Z][A-Z0-9_]{2,}):\s/;

/** Error categories of Athena's error catalog (AthenaError.ErrorCategory). */
const CATEGORIES: Record<number, string> = { 1: 'SYSTEM', 2: 'USER', 3: 'OTHER' };

/**
 * The error of a FAILED execution: the code is the error name Athena's message starts with
 * (COLUMN_NOT_FOUND, SYNTAX_ERROR, HIVE_BAD_DATA, …), else one made from AthenaError's category and
 * type (`ATHENA_USER_ERROR_1006`); the message is Athena's, whole. Its `line L:C`, which counts in the
 * statement Athena ran (views prepended), becomes a position in `userSql`.
 */
export function athenaFailure(execution: QueryExecution, userSql?: string): EngineErrorInfo {
  const status = execution.Status;
  const message = status?.StateChangeReason ?? status?.AthenaError?.ErrorMessage ?? 'the query failed in Amazon Athena';
  const named = LEADING_ERROR_NAME.exec(status?.AthenaError?.ErrorMessage ?? message)?.[1];
  const position = userSql !== undefined && execution.Query !== undefined ? trinoErrorPosition(message, userSql, execution.Query) : undefined;
  if (named) return { code: named, message, ...(position ? { position } : {}) };
  const error = status?.AthenaError;
  if (error?.ErrorType !== undefined) {
    const category = error.ErrorCategory !== undefined ? (CATEGORIES[error.ErrorCategory] ?? String(error.ErrorCategory)) : 'UNKNOWN';
    return { code: `ATHENA_${category}_ERROR_${error.ErrorType}`, message };
  }
  return { code: AthenaEngineErrorCodes.failed, message };
}

export interface AthenaTimes {
  submittedAt: string;
  startedAt?: string;
  finishedAt?: string;
  elapsedMs: number;
}

/** Times of an execution: started = submitted + queue time; elapsed = Athena's engine execution time once known. */
export function athenaTimes(execution: QueryExecution, now: Date): AthenaTimes {
  const submitted = execution.Status?.SubmissionDateTime ?? now;
  const completed = execution.Status?.CompletionDateTime;
  const stats = execution.Statistics;
  const queued = stats?.QueryQueueTimeInMillis;
  const state = athenaState(execution);
  const started = state === 'QUEUED' ? undefined : new Date(submitted.getTime() + (queued ?? 0));
  const elapsedMs =
    stats?.EngineExecutionTimeInMillis ?? (completed ? completed.getTime() - (started ?? submitted).getTime() : started ? Math.max(0, now.getTime() - started.getTime()) : 0);
  return {
    submittedAt: submitted.toISOString(),
    ...(started ? { startedAt: started.toISOString() } : {}),
    ...(completed ? { finishedAt: completed.toISOString() } : {}),
    elapsedMs,
  };
}
