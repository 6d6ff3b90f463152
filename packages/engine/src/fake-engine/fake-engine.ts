import type { Cell, ColumnInfo } from '@access-monitor/contracts';
import { renderExecutable } from '@access-monitor/sql';
import { createDuckDbSqlParser } from '@access-monitor/sql/duckdb-parser';
import { EngineCore } from '../engine-core';
import { ExecutionNotFound } from '../errors';
import type { ExecutionRef, ExecutionStatus, StartQuery } from '../query-engine';

/** What the fake's backend would answer: rows and columns, given once the test calls `finish`. */
interface FakeRun {
  status: ExecutionStatus;
  rendered: string;
  rows: Cell[][];
}

/**
 * Test-only driver: the engine-specific calls of a third engine (submit, status, rows) over memory, with
 * the lifecycle (closed check, idempotent start, guard, SUCCEEDED-before-results) from EngineCore.
 */
export class FakeEngine {
  private readonly runs = new Map<string, FakeRun>();
  private next = 0;

  private constructor(private readonly core: EngineCore) {}

  static async create(): Promise<FakeEngine> {
    return new FakeEngine(new EngineCore('trino', await createDuckDbSqlParser()));
  }

  start(q: StartQuery): Promise<ExecutionRef> {
    return this.core.start(q, async (query) => {
      const guarded = await this.core.guard(query.sql);
      const rendered = renderExecutable(guarded, query.window, { dialect: 'trino', table: 'fake.audit_events' });
      this.core.assertOpen();
      const id = `fake-${this.next++}`;
      const status: ExecutionStatus = { id, state: 'RUNNING', sql: query.sql, window: query.window, submittedAt: '2024-03-01T00:00:00.000Z', elapsedMs: 0, bytesScanned: 0 };
      this.runs.set(id, { status, rendered, rows: [] });
      return { id, sql: query.sql, window: query.window };
    });
  }

  /** The statement as the backend would receive it. */
  rendered(id: string): string {
    return this.run(id).rendered;
  }

  /** The backend finishes `id` with these rows. */
  finish(id: string, columns: ColumnInfo[], rows: Cell[][]): void {
    const run = this.run(id);
    run.status = { ...run.status, state: 'SUCCEEDED', columns, rowCount: rows.length };
    run.rows = rows;
  }

  async status(id: string): Promise<ExecutionStatus> {
    return this.run(id).status;
  }

  async page(id: string, offset: number, limit: number): Promise<{ rows: Cell[][]; totalRows: number }> {
    await this.core.succeeded(id, (i) => this.status(i));
    const { rows } = this.run(id);
    return { rows: rows.slice(offset, offset + limit), totalRows: rows.length };
  }

  async close(): Promise<void> {
    if (this.core.close()) this.core.closeParser();
  }

  private run(id: string): FakeRun {
    const run = this.runs.get(id);
    if (!run) throw new ExecutionNotFound(id);
    return run;
  }
}
