import { ProblemTypes, type Execution } from '@access-monitor/contracts';
import type { ExecutionStatus } from '@access-monitor/engine';

const ERROR_TITLES: Record<string, { type: string; title: string; status: number }> = {
  CANCELLED: { type: ProblemTypes.engineFailed, title: 'Query cancelled', status: 499 },
  INTERRUPTED_BY_RESTART: { type: ProblemTypes.engineFailed, title: 'Query interrupted by a server restart', status: 503 },
};

export function presentExecution(s: ExecutionStatus, engine: string, user?: string): Execution {
  const problem = s.error
    ? { ...(ERROR_TITLES[s.error.code] ?? { type: ProblemTypes.engineFailed, title: 'Query failed', status: 502 }), detail: s.error.message }
    : undefined;
  return {
    id: s.id,
    state: s.state,
    sql: s.sql,
    window: s.window,
    engine,
    ...(user ? { user } : {}),
    submittedAt: s.submittedAt,
    ...(s.finishedAt ? { finishedAt: s.finishedAt } : {}),
    elapsedMs: s.elapsedMs,
    bytesScanned: s.bytesScanned,
    ...(s.rowCount !== undefined ? { rowCount: s.rowCount } : {}),
    ...(s.columns ? { columns: s.columns } : {}),
    ...(problem ? { error: problem } : {}),
  };
}
