import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isTerminalState, type Cell, type ColumnInfo, type DateWindow } from '@access-monitor/contracts';
import type { ExecutionStatus, QueryEngine } from '@access-monitor/engine';
import { EngineFailed } from '../http/errors';


/** Polls until the execution ends, backing off from 20 ms to 250 ms; cancels it past the deadline. */
export async function waitForExecution(engine: QueryEngine, id: string, timeoutMs: number): Promise<ExecutionStatus> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 1.5, 250)) {
    const status = await engine.status(id);
    if (isTerminalState(status.state)) return status;
    if (Date.now() > deadline) {
      await engine.cancel(id);
      throw new EngineFailed(`query ${id} exceeded the ${Math.round(timeoutMs / 1000)} s timeout and was cancelled`, 'TIMEOUT');
    }
    await sleep(delay);
  }
}

export interface CompletedQuery {
  status: ExecutionStatus;
  columns: ColumnInfo[];
  rows: Record<string, Cell>[];
}

/** Runs SQL the server itself owns (usage charts) and returns every row as objects. */
export async function runToCompletion(engine: QueryEngine, sql: string, window: DateWindow, timeoutMs: number): Promise<CompletedQuery> {
  const { id } = await engine.start({ sql, window, token: randomUUID() });
  const status = await waitForExecution(engine, id, timeoutMs);
  if (status.state !== 'SUCCEEDED') throw new EngineFailed(status.error?.message ?? `query ended ${status.state}`, status.error?.code ?? status.state);
  const rows: Record<string, Cell>[] = [];
  let columns: ColumnInfo[] = status.columns ?? [];
  for (let offset = 0; ; ) {
    const page = await engine.page(id, offset, 10_000);
    columns = page.columns;
    for (const r of page.rows) rows.push(Object.fromEntries(columns.map((c, i) => [c.name, r[i] ?? null])));
    offset += page.rows.length;
    if (page.rows.length === 0 || offset >= page.totalRows) break;
  }
  return { status, columns, rows };
}
