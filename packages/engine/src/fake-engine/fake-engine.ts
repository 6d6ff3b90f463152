import { randomUUID } from 'node:crypto';
import { mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { isTerminalState } from '@access-monitor/contracts';
import { DUCKDB_COMPAT_MACROS, duckdbErrorPosition } from '@access-monitor/sql';
import { createDuckDbSqlParser } from '../duckdb/duckdb-sql-parser';
import { createQueryEngine } from '../engine-core';
import type { EngineDriver, ResultLocation, Submission } from '../engine-driver';
import type { EngineEntry } from '../engine-registry';
import { ExecutionNotFound } from '../errors';
import type { ExecutionStatus, QueryEngine } from '../query-engine';
import { LocalResultFileSource } from '../results/result-file-source';
import { openSandboxedDuckDb } from '../duckdb/duckdb-sandbox';
import { writeMaterializedResult, writeSelectResult } from '../duckdb/duckdb-result-writer';
import { listWindowFiles } from '../duckdb/window-files';

/** `fake:///abs/folder`: Teleport's Parquet layout, read by the fake engine. */
export interface FakeEngineTarget {
  dataDir: string;
}

/** One execution: run at once on its own connection, no queue, no persistence (a restart forgets it). */
interface Run {
  status: ExecutionStatus;
  connection?: DuckDBConnection;
  cancelled: boolean;
  done?: Promise<void>;
}

/**
 * Test-only third engine: the driver calls only (submit, status, cancel, results, close) over a plain
 * DuckDB instance; the lifecycle (closed check, idempotent start, guard, render, SUCCEEDED-before-results,
 * result reader) is `createQueryEngine`'s. It shares the duckdb dialect and result writer with the
 * embedded engine, and nothing else.
 */
export async function createFakeEngine(target: FakeEngineTarget, resultsDir: string): Promise<QueryEngine> {
  await mkdir(resultsDir, { recursive: true });
  const dataDir = await realpath(target.dataDir);
  const results = await realpath(resultsDir);
  const instance = await openSandboxedDuckDb({ allowedDirectories: [dataDir, results], setup: DUCKDB_COMPAT_MACROS });
  return createQueryEngine(new FakeDriver(instance, dataDir, results), { parser: await createDuckDbSqlParser() });
}

class FakeDriver implements EngineDriver<'duckdb'> {
  readonly name = 'fake';
  readonly dialect = 'duckdb';
  private readonly runs = new Map<string, Run>();
  private readonly location: ResultLocation;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly dataDir: string,
    private readonly resultsDir: string,
  ) {
    this.location = { key: resultsDir, source: () => new LocalResultFileSource(resultsDir) };
  }

  async submit({ guarded, query, render, assertOpen }: Submission<'duckdb'>): Promise<string> {
    const scan = guarded.views.length > 0 ? await listWindowFiles(this.dataDir, query.window) : { files: [], bytes: 0 };
    const sql = render({ files: scan.files });
    assertOpen();
    const id = randomUUID();
    const now = new Date().toISOString();
    const run: Run = { status: { id, state: 'RUNNING', sql: query.sql, window: query.window, submittedAt: now, startedAt: now, elapsedMs: 0, bytesScanned: scan.bytes }, cancelled: false };
    this.runs.set(id, run);
    run.done = this.execute(run, sql, guarded.explain, guarded.columnNames);
    return id;
  }

  async status(id: string): Promise<ExecutionStatus> {
    const run = this.runs.get(id);
    if (!run) throw new ExecutionNotFound(id);
    return run.status;
  }

  async cancel(id: string): Promise<void> {
    const run = this.runs.get(id);
    if (!run) throw new ExecutionNotFound(id);
    if (isTerminalState(run.status.state)) return;
    run.cancelled = true;
    // Repeated: an interrupt between two of DuckDB's internal steps is lost.
    const interrupting = setInterval(() => run.connection?.interrupt(), 20);
    run.connection?.interrupt();
    await run.done?.finally(() => clearInterval(interrupting));
  }

  async results(): Promise<ResultLocation> {
    return this.location;
  }

  async close(): Promise<void> {
    await Promise.all([...this.runs.keys()].map((id) => this.cancel(id)));
    this.instance.closeSync();
  }

  private async execute(run: Run, sql: string, explain: boolean, columnNames: ReadonlyArray<string | null> | null): Promise<void> {
    const target = { resultsDir: this.resultsDir, id: run.status.id, columnNames };
    const ended = (extra: Partial<ExecutionStatus>): ExecutionStatus => {
      const finishedAt = new Date().toISOString();
      return { ...run.status, ...extra, finishedAt, elapsedMs: Date.parse(finishedAt) - Date.parse(run.status.startedAt!) };
    };
    try {
      run.connection = await this.instance.connect();
      if (run.cancelled) throw new Error('cancelled');
      const result = explain ? await writeMaterializedResult(run.connection, sql, target) : await writeSelectResult(run.connection, sql, target);
      run.status = run.cancelled ? ended({ state: 'CANCELLED', error: { code: 'CANCELLED', message: 'cancelled by the user' } }) : ended({ state: 'SUCCEEDED', ...result });
    } catch (e) {
      const position = duckdbErrorPosition(e, run.status.sql, sql);
      run.status = run.cancelled
        ? ended({ state: 'CANCELLED', error: { code: 'CANCELLED', message: 'cancelled by the user' } })
        : ended({ state: 'FAILED', error: { code: 'ENGINE_FAILED', message: (e as Error).message.split('\nLINE')[0]!, ...(position ? { position } : {}) } });
    } finally {
      run.connection?.closeSync();
      run.connection = undefined;
    }
  }
}

/** The fake's registry entry: `fake:///abs/events` (or `fake://./events`, against the config's folder). */
export const fakeEngineEntry: EngineEntry<FakeEngineTarget, { resultsDir: string }> = {
  example: 'fake:///path/to/events (test-only fake engine)',
  parse: (uri, baseDir) => ({ dataDir: path.resolve(baseDir, uri.slice('fake://'.length)) }),
  create: (target, context) => createFakeEngine(target, context.resultsDir),
};
