import { ProblemTypes, type Execution } from '@access-monitor/contracts';
import type { ExecutionStatus } from '@access-monitor/engine';

const ERROR_TITLES: Record<string, { type: string; title: string; status: number }> = {
  CANCELLED: { type: ProblemTypes.engineFailed, title: 'Query cancelled', status: 499 },
  INTERRUPTED_BY_RESTART: { type: ProblemTypes.engineFailed, title: 'Query interrupted by a server restart', status: 503 },
  // The engines' own deadline (limits.query_timeout / interactive_timeout), and Athena's bytes-scanned cutoff.
  QUERY_TIMEOUT: { type: ProblemTypes.engineFailed, title: 'Query timed out and was stopped', status: 504 },
  SCAN_LIMIT_EXCEEDED: { type: ProblemTypes.scanLimit, title: 'Scan limit exceeded', status: 422 },
  // DuckDB engine: the CSV grew past limits.max_result_bytes.
  RESULT_TOO_LARGE: { type: ProblemTypes.resultTooLarge, title: 'Result too large', status: 422 },
};

/** Who ran it and from which saved query (from the execution log), and how long results are kept. */
export interface ExecutionContext {
  user?: string | undefined;
  query?: string | undefined;
  origin?: Execution['origin'] | undefined;
  onBehalfOf?: string | undefined;
  retentionMs?: number;
}

export function presentExecution(s: ExecutionStatus, engine: string, context: ExecutionContext = {}): Execution {
  const { user, query, origin, onBehalfOf, retentionMs } = context;
  const problem = s.error
    ? { ...(ERROR_TITLES[s.error.code] ?? { type: ProblemTypes.engineFailed, title: 'Query failed', status: 502 }), detail: s.error.message, ...(s.error.position ? { position: s.error.position } : {}) }
    : undefined;
  return {
    id: s.id,
    state: s.state,
    sql: s.sql,
    window: s.window,
    engine,
    ...(user ? { user } : {}),
    ...(query ? { query } : {}),
    ...(origin ? { origin } : {}),
    ...(onBehalfOf ? { onBehalfOf } : {}),
    submittedAt: s.submittedAt,
    ...(s.finishedAt ? { finishedAt: s.finishedAt } : {}),
    elapsedMs: s.elapsedMs,
    bytesScanned: s.bytesScanned,
    ...(s.rowCount !== undefined ? { rowCount: s.rowCount } : {}),
    ...(s.columns ? { columns: s.columns } : {}),
    ...(s.state === 'SUCCEEDED' && retentionMs !== undefined ? { resultExpiresAt: resultExpiry(s, retentionMs).toISOString() } : {}),
    ...(problem ? { error: problem } : {}),
    ...(s.enginePath ? { enginePath: { ...s.enginePath } } : {}),
  };
}

/** When a finished execution's result stops being served: `limits.result_retention` after it finished. */
export const resultExpiry = (s: Pick<ExecutionStatus, 'finishedAt' | 'submittedAt'>, retentionMs: number): Date =>
  new Date(Date.parse(s.finishedAt ?? s.submittedAt) + retentionMs);
