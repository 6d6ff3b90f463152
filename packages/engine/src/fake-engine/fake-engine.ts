import { randomUUID } from 'node:crypto';
import { mkdir, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { isTerminalState } from '@access-monitor/contracts';
import { DUCKDB_COMPAT_MACROS, duckdbErrorPosition, sqlString } from '@access-monitor/sql';
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
import { FAKE_TABLE_DIALECT, type FakeTableSource } from './fake-dialect';

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
 * result reader) is `createQueryEngine`'s. Its backend is one table loaded from the Parquet folder when it
 * starts, and it speaks its own dialect over that table (`fake-dialect.ts`); it shares only DuckDB's result
 * writer with the embedded engine.
 */
export async function createFakeEngine(target: FakeEngineTarget, resultsDir: string): Promise<QueryEngine> {
  await mkdir(resultsDir, { recursive: true });
  const dataDir = await realpath(target.dataDir);
  const results = await realpath(resultsDir);
  const instance = await openSandboxedDuckDb({ allowedDirectories: [dataDir, results], setup: DUCKDB_COMPAT_MACROS });
  const files: string[] = [];
  for (const day of (await readdir(dataDir)).sort()) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) continue;
    for (const chunk of (await readdir(path.join(dataDir, day))).sort()) if (chunk.endsWith('.parquet')) files.push(path.join(dataDir, day, chunk));
  }
  const connection = await instance.connect();
  try {
    await connection.run(
      files.length > 0
        ? `CREATE TABLE ${FAKE_TABLE} AS SELECT uid, session_id, event_type, event_time, event_data, "user" FROM read_parquet([${files.map(sqlString).join(', ')}], binary_as_string = true)`
        : `CREATE TABLE ${FAKE_TABLE} (uid VARCHAR, session_id VARCHAR, event_type VARCHAR, event_time TIMESTAMP, event_data VARCHAR, "user" VARCHAR)`,
    );
  } finally {
    connection.closeSync();
  }
  return createQueryEngine(new FakeDriver(instance, dataDir, results), { parser: await createDuckDbSqlParser() });
}

const FAKE_TABLE = 'fake_audit_events';

class FakeDriver implements EngineDriver<FakeTableSource> {
  readonly name = 'fake';
  readonly dialect = FAKE_TABLE_DIALECT;
  private readonly runs = new Map<string, Run>();
  private readonly location: ResultLocation;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly dataDir: string,
    private readonly resultsDir: string,
  ) {
    this.location = { key: resultsDir, source: () => new LocalResultFileSource(resultsDir) };
  }

  async submit({ guarded, query, render, assertOpen }: Submission<FakeTableSource>): Promise<string> {
    // Bytes scanned as the other engines count them: the window's share of the source.
    const scan = guarded.views.length > 0 ? await listWindowFiles(this.dataDir, query.window) : { files: [], bytes: 0 };
    const sql = render({ table: FAKE_TABLE });
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
