import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, realpath, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '@access-monitor/storage';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { isTerminalState, type ColumnInfo, type DateWindow } from '@access-monitor/contracts';
import { AUDIT_EVENTS, DUCKDB_COMPAT_MACROS, DUCKDB_DIALECT, duckdbErrorPosition, type DuckDbSource } from '@access-monitor/sql';
import { createDuckDbSqlParser } from './duckdb-sql-parser';
import { createQueryEngine } from '../engine-core';
import type { EngineDriver, ResultLocation, Submission } from '../engine-driver';
import { DataUnavailable, EngineBusy, EngineClosed, ExecutionNotFound, ScanLimitExceeded } from '../errors';
import type { EngineErrorInfo, EnginePath, ExecutionStatus, QueryEngine, TypedStoreControl } from '../query-engine';
import { LocalResultFileSource } from '../results/result-file-source';
import { openSandboxedDuckDb } from './duckdb-sandbox';
import { removePartials, writeMaterializedResult, writeSelectResult } from './duckdb-result-writer';
import { stripServerPaths } from './explain-paths';
import { describeIncompatibleParquet } from './incompatible-parquet';
import { windowDataVersion } from './data-version';
import { executionFiles, isExecutionId, newExecutionId, readStatusFile } from './execution-files';
import { listWindowDays, listWindowFiles, windowFilesOf } from './window-files';
import { TypedEventStore } from './typed-store/typed-event-store';

export interface DuckDbEngineOptions {
  /** Teleport's Athena layout: `<dataDir>/<YYYY-MM-DD>/<chunk>.parquet`. */
  dataDir: string;
  /** Where `<id>.csv`, its metadata and `<id>.status.json` go; created if missing. */
  resultsDir: string;
  threads?: number;
  /** DuckDB size string: '2GB'. */
  memoryLimit?: string;
  clock?: () => Date;
  /** Executions running at once; more wait QUEUED. Default 2. */
  maxConcurrent?: number;
  /** Executions allowed to wait; beyond that `start` rejects with EngineBusy. Default 100. */
  maxQueued?: number;
  /** Rows between two entries of a result's row index. Default 1000. */
  rowsPerIndexEntry?: number;
  /** A result CSV growing past this stops the query: FAILED with RESULT_TOO_LARGE, the partial file removed. */
  maxResultBytes?: number;
  /**
   * The typed event store's folder (created if missing): views read typed files where it covers the window.
   * Without it every query reads by JSON extraction.
   */
  typedDir?: string;
}

/** One execution this process is running or about to run. */
interface Job {
  status: ExecutionStatus;
  sql: string;
  explain: boolean;
  columnNames: ReadonlyArray<string | null> | null;
  connection?: DuckDBConnection;
  cancelRequested: boolean;
  cancelReason?: string;
  /** Why the engine stopped it by itself (deadline, result size); it ends FAILED with this. */
  stopped?: EngineErrorInfo;
  timeoutMs?: number;
  /** A terminal state is being written. */
  finishing?: boolean;
  /** Status writes in order, so the file never goes back to an older state. */
  persisted: Promise<void>;
  /** Renders the statement again reading no typed file: the fallback when a typed file fails to read. */
  renderJson?: () => Promise<string>;
  typedFiles?: string[];
  /** The window's source files, to name a broken one when the statement fails. */
  sourceFiles?: readonly string[];
  /** Settles when the job reached a terminal state and it is on disk. */
  settled: Promise<void>;
  settle: () => void;
}

class Cancelled extends Error {}

/** Where a DuckDB error points in the SQL the user wrote (its excerpt points into the rendered statement). */
function positionOf(e: unknown, job: Job): { position?: NonNullable<EngineErrorInfo['position']> } {
  const position = duckdbErrorPosition(e, job.status.sql, job.sql);
  return position ? { position } : {};
}

/**
 * The embedded engine: DuckDB over the Parquet files of the window, sandboxed to the data and
 * results folders. `bytesScanned` is this engine's own measure: the total size of the window's
 * Parquet files when the statement reads any view (DuckDB's column pruning usually reads less),
 * 0 when it reads none.
 */
export async function createDuckDbEngine(options: DuckDbEngineOptions): Promise<QueryEngine> {
  const opened = await openEngineInstance(options);
  const parser = await createDuckDbSqlParser().catch(async (e: unknown) => {
    await opened.close();
    throw e;
  });
  return createQueryEngine(new DuckDbDriver(options, opened), {
    parser,
    readerOptions: options.rowsPerIndexEntry !== undefined ? { rowsPerIndexEntry: options.rowsPerIndexEntry } : {},
  });
}

/** The engine's sandboxed DuckDB instance, exactly as the engine opens it (the sandbox tests use it raw). */
export async function openEngineInstance(options: Pick<DuckDbEngineOptions, 'dataDir' | 'resultsDir' | 'threads' | 'memoryLimit' | 'typedDir'>): Promise<EngineInstance> {
  const dataDir = await checkedDataDir(options.dataDir);
  await mkdir(options.resultsDir, { recursive: true });
  const resultsDir = await realpath(options.resultsDir);
  let typedDir: string | undefined;
  if (options.typedDir !== undefined) {
    await mkdir(options.typedDir, { recursive: true });
    typedDir = await realpath(options.typedDir);
  }
  // One spill folder per instance (two sharing one would overwrite each other's blocks), beside the results in
  // the server's state folder rather than a shared /tmp; `.am-` keeps it out of the file object store's listings.
  const tempDirectory = await mkdtemp(path.join(path.dirname(resultsDir), '.am-duckdb-spill-'));
  try {
    const instance = await openSandboxedDuckDb({
      allowedDirectories: [dataDir, resultsDir, ...(typedDir ? [typedDir] : [])],
      setup: DUCKDB_COMPAT_MACROS,
      tempDirectory,
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(options.memoryLimit !== undefined ? { memoryLimit: options.memoryLimit } : {}),
    });
    return {
      instance,
      dataDir,
      resultsDir,
      ...(typedDir ? { typedDir } : {}),
      close: async () => {
        instance.closeSync();
        await rm(tempDirectory, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await rm(tempDirectory, { recursive: true, force: true });
    throw e;
  }
}

export interface EngineInstance {
  instance: DuckDBInstance;
  /** Realpath'd folders the sandbox allows. */
  dataDir: string;
  resultsDir: string;
  typedDir?: string;
  /** Closes the instance and removes its spill folder. */
  close(): Promise<void>;
}

async function checkedDataDir(dir: string): Promise<string> {
  try {
    const real = await realpath(dir);
    if (!(await stat(real)).isDirectory()) throw new DataUnavailable(dir, 'not a folder');
    await access(real, constants.R_OK | constants.X_OK);
    return real;
  } catch (e) {
    if (e instanceof DataUnavailable) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataUnavailable(dir, code === 'ENOENT' ? 'the folder does not exist' : code === 'EACCES' ? 'the folder is not readable' : String(code ?? e));
  }
}

/** The embedded engine's own calls: a job queue over one sandboxed DuckDB instance, results as files. */
class DuckDbDriver implements EngineDriver<DuckDbSource> {
  readonly name = 'duckdb';
  readonly dialect = DUCKDB_DIALECT;
  private readonly clock: () => Date;
  private readonly maxConcurrent: number;
  private readonly maxQueued: number;
  private readonly location: ResultLocation;
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running = 0;
  private closed = false;
  private readonly typed: TypedEventStore | undefined;
  readonly typedStore: TypedStoreControl | undefined;

  private readonly dataDir: string;
  private readonly resultsDir: string;
  private readonly instance: DuckDBInstance;

  constructor(
    private readonly options: DuckDbEngineOptions,
    private readonly opened: EngineInstance,
  ) {
    this.dataDir = opened.dataDir;
    this.resultsDir = opened.resultsDir;
    this.instance = opened.instance;
    this.clock = options.clock ?? (() => new Date());
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? 2);
    this.maxQueued = Math.max(0, options.maxQueued ?? 100);
    const resultsDir = this.resultsDir;
    this.location = { key: resultsDir, source: () => new LocalResultFileSource(resultsDir) };
    if (opened.typedDir) {
      const typed = new TypedEventStore({ instance: this.instance, dataDir: this.dataDir, typedDir: opened.typedDir });
      this.typed = typed;
      this.typedStore = { status: () => typed.status(), sync: (onProgress) => typed.sync(onProgress) };
    }
  }

  async submit({ guarded, query: q, render, assertOpen, isClosed }: Submission<DuckDbSource>): Promise<string> {
    await checkedDataDir(this.options.dataDir);
    const days = guarded.views.length > 0 ? await listWindowDays(this.dataDir, q.window) : [];
    const scan = windowFilesOf(days);
    if (q.maxBytesScanned !== undefined && scan.bytes > q.maxBytesScanned) throw new ScanLimitExceeded(q.maxBytesScanned, scan.bytes);
    const renderJson = async (): Promise<string> => render({ files: scan.files });
    const readsViews = guarded.views.some((v) => v !== AUDIT_EVENTS);
    let sql: string;
    let enginePath: EnginePath | undefined;
    let typedFiles: string[] = [];
    if (this.typed && readsViews && q.enginePath !== 'json') {
      const coverage = await this.typed.coverage(q.window, days, guarded.views);
      typedFiles = Object.values(coverage.typed.views).flat();
      sql = render({ files: scan.files, typed: coverage.typed });
      enginePath = { typedDays: coverage.typedDays, jsonDays: coverage.jsonDays };
    } else {
      sql = await renderJson();
      if (readsViews) enginePath = { typedDays: 0, jsonDays: days.length };
    }
    assertOpen();
    if (this.queue.length >= this.maxQueued) throw new EngineBusy(this.queue.length);

    const id = newExecutionId();
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const job: Job = {
      status: { id, state: 'QUEUED', sql: q.sql, window: { start: q.window.start, end: q.window.end }, submittedAt: this.now(), elapsedMs: 0, bytesScanned: scan.bytes, ...(enginePath ? { enginePath } : {}) },
      sql,
      ...(typedFiles.length > 0 ? { renderJson, typedFiles } : {}),
      sourceFiles: scan.files,
      explain: guarded.explain,
      columnNames: guarded.columnNames,
      cancelRequested: false,
      ...(q.timeoutMs !== undefined ? { timeoutMs: q.timeoutMs } : {}),
      persisted: Promise.resolve(),
      settled,
      settle,
    };
    await this.persist(job); // before the id is handed out, so status(id) always finds it
    if (isClosed()) {
      await unlink(executionFiles(this.resultsDir, id).status).catch(() => undefined);
      throw new EngineClosed();
    }
    this.jobs.set(id, job);
    this.queue.push(job);
    this.pump();
    return id;
  }

  async status(id: string): Promise<ExecutionStatus> {
    if (!isExecutionId(id)) throw new ExecutionNotFound(id);
    const job = this.jobs.get(id);
    if (job) return this.snapshot(job);
    const stored = await readStatusFile(executionFiles(this.resultsDir, id).status, id);
    if (!stored) throw new ExecutionNotFound(id);
    if (!isTerminalState(stored.state)) {
      // On disk as QUEUED/RUNNING, yet no job here: the process that ran it stopped.
      return {
        ...stored,
        state: 'FAILED',
        error: { code: 'INTERRUPTED_BY_RESTART', message: `the engine stopped while this execution was ${stored.state}; run it again` },
      };
    }
    return stored;
  }

  async waitForChange(id: string, maxWaitMs: number): Promise<ExecutionStatus> {
    const job = isExecutionId(id) ? this.jobs.get(id) : undefined;
    if (job) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([job.settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, maxWaitMs))))]);
      clearTimeout(timer);
    }
    return this.status(id);
  }

  async cancel(id: string): Promise<void> {
    const job = isExecutionId(id) ? this.jobs.get(id) : undefined;
    if (!job) {
      await this.status(id); // ExecutionNotFound for an unknown id; otherwise finished: nothing to do
      return;
    }
    await this.stop(job, 'cancelled by the user');
  }

  /** What `start` would report as bytes scanned for a statement reading any view. */
  async estimateBytes(window: DateWindow): Promise<number> {
    await checkedDataDir(this.options.dataDir);
    return (await listWindowFiles(this.dataDir, window)).bytes;
  }

  dataVersion(window: DateWindow): Promise<string> {
    return windowDataVersion(this.dataDir, window);
  }

  async results(): Promise<ResultLocation> {
    return this.location;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.jobs.values()].map((job) => this.stop(job, 'cancelled: the query engine shut down')));
    await this.typed?.close();
    await this.opened.close();
  }

  /** Interrupts a running job (repeatedly, so an interrupt between two statements is not lost) or drops a queued one. */
  private async stop(job: Job, reason: string): Promise<void> {
    if (isTerminalState(job.status.state)) return;
    if (job.finishing) return job.settled;
    if (!job.cancelRequested) {
      job.cancelRequested = true;
      job.cancelReason = reason;
    }
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      await this.finish(job, 'CANCELLED', { error: { code: 'CANCELLED', message: job.cancelReason! } });
      return;
    }
    job.connection?.interrupt();
    const retry = setInterval(() => job.connection?.interrupt(), 50);
    try {
      await job.settled;
    } finally {
      clearInterval(retry);
    }
  }

  private pump(): void {
    while (this.running < this.maxConcurrent && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      void this.run(job)
        .catch(() => undefined) // only a status write can fail here; the job is settled either way
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }

  private async run(job: Job): Promise<void> {
    const startedAt = this.now();
    job.status = { ...job.status, state: 'RUNNING', startedAt };
    const persisting = this.persist(job);
    const target = { resultsDir: this.resultsDir, id: job.status.id, columnNames: job.columnNames };
    const watch = this.watch(job);
    try {
      await persisting;
      await this.checkData();
      if (job.cancelRequested) throw new Cancelled();
      job.connection = await this.instance.connect();
      if (job.cancelRequested) throw new Cancelled();
      const result = await this.execute(job, target);
      if (job.cancelRequested) throw new Cancelled(); // finished anyway: the caller asked not to have it
      await this.checkResultSize(job, executionFiles(this.resultsDir, job.status.id).csv);
      if (job.stopped) throw new Cancelled();
      await this.finish(job, 'SUCCEEDED', { rowCount: result.rowCount, columns: result.columns });
    } catch (e) {
      await removePartials(target);
      if (job.stopped) {
        await this.removeResult(job.status.id);
        await this.finish(job, 'FAILED', { error: job.stopped });
      } else if (job.cancelRequested) {
        await this.finish(job, 'CANCELLED', { error: { code: 'CANCELLED', message: job.cancelReason ?? 'cancelled' } });
      } else {
        const error = { ...this.failure(e), ...positionOf(e, job) };
        const named = error.code === 'ENGINE_FAILED' && job.sourceFiles && job.sourceFiles.length > 0 ? await this.nameBadSourceFiles(job.sourceFiles) : [];
        await this.finish(job, 'FAILED', { error: named.length > 0 ? { ...error, message: `${error.message} (${named.join('; ')})` } : error });
      }
    } finally {
      watch.stop();
      job.connection?.closeSync();
      job.connection = undefined;
    }
  }

  private async execute(job: Job, target: Parameters<typeof writeSelectResult>[2]): Promise<{ rowCount: number; columns: ColumnInfo[] }> {
    const connection = job.connection!;
    const write = (sql: string) =>
      job.explain ? writeMaterializedResult(connection, sql, target, (text) => stripServerPaths(text, this.serverFolders())) : writeSelectResult(connection, sql, target);
    try {
      return await write(job.sql);
    } catch (e) {
      // A typed file that fails to read (truncated by a crash, a full disk) is never served: its days are
      // dropped from the store, to be rebuilt from the source, and the statement runs again by JSON extraction.
      const named = this.typed && job.renderJson && !job.cancelRequested && !job.stopped ? this.typedMonthsIn(e) : [];
      if (named.length === 0) throw e;
      const broken = [...new Set([...named, ...(await this.typed!.brokenMonths(job.typedFiles ?? []))])];
      // Rebuilt by the next sync (the server's runs every minute).
      await Promise.all(broken.map((month) => this.typed!.invalidate(month)));
      await removePartials(target);
      job.sql = await job.renderJson!();
      job.status = { ...job.status, enginePath: { typedDays: 0, jsonDays: (job.status.enginePath?.typedDays ?? 0) + (job.status.enginePath?.jsonDays ?? 0) } };
      return write(job.sql);
    }
  }

  /** Source files of the window whose columns the layout does not allow, named relative to the data folder. */
  private async nameBadSourceFiles(files: readonly string[]): Promise<string[]> {
    const probe = await this.instance.connect();
    try {
      return await describeIncompatibleParquet(probe, this.dataDir, files);
    } catch {
      return [];
    } finally {
      probe.closeSync();
    }
  }

  /** The months of typed-store files an engine error names. */
  private typedMonthsIn(e: unknown): string[] {
    const message = e instanceof Error ? e.message : String(e);
    const marker = path.join(this.typed!.typedDir, 'segments') + path.sep;
    const months = new Set<string>();
    for (let at = message.indexOf(marker); at >= 0; at = message.indexOf(marker, at + 1)) {
      const month = message.slice(at + marker.length, at + marker.length + 7);
      if (/^\d{4}-\d{2}$/.test(month)) months.add(month);
    }
    return [...months];
  }

  /**
   * The engine's own limits on a running job, whoever waits for it (or nobody): its deadline and the size of
   * the CSV being written. Past either, the connection is interrupted until the job ends.
   */
  private watch(job: Job): { stop(): void } {
    let interrupting: NodeJS.Timeout | undefined;
    const stopJob = (error: EngineErrorInfo): void => {
      if (job.stopped || job.cancelRequested) return;
      job.stopped = error;
      job.connection?.interrupt();
      interrupting = setInterval(() => job.connection?.interrupt(), 50);
    };
    const deadline =
      job.timeoutMs !== undefined
        ? setTimeout(() => stopJob({ code: 'QUERY_TIMEOUT', message: `stopped after running longer than the query timeout of ${Math.round(job.timeoutMs! / 100) / 10} s` }), job.timeoutMs)
        : undefined;
    const partial = executionFiles(this.resultsDir, job.status.id).csvPartial;
    const sizes = this.options.maxResultBytes !== undefined ? setInterval(() => void this.checkResultSize(job, partial, stopJob), 100) : undefined;
    return {
      stop: () => {
        clearTimeout(deadline);
        clearInterval(sizes);
        clearInterval(interrupting);
      },
    };
  }

  private async checkResultSize(job: Job, file: string, stopJob: (error: EngineErrorInfo) => void = (error) => (job.stopped ??= error)): Promise<void> {
    const limit = this.options.maxResultBytes;
    if (limit === undefined) return;
    const size = await stat(file).then((s) => s.size, () => 0);
    if (size > limit) stopJob({ code: 'RESULT_TOO_LARGE', message: `the result grew past the limit of ${limit} bytes (limits.max_result_bytes); aggregate or filter it, or add a LIMIT` });
  }

  private async removeResult(id: string): Promise<void> {
    const files = executionFiles(this.resultsDir, id);
    await Promise.all([files.csv, files.metadata].map((f) => unlink(f).catch(() => undefined)));
  }

  private async checkData(): Promise<void> {
    await checkedDataDir(this.options.dataDir);
  }

  private failure(e: unknown): EngineErrorInfo {
    if (e instanceof DataUnavailable) return { code: 'DATA_UNAVAILABLE', message: e.message };
    return { code: 'ENGINE_FAILED', message: this.engineMessage(e) };
  }

  /** Folders of this server that users have no business seeing (messages and EXPLAIN plans name files in them). */
  private serverFolders(): string[] {
    return [this.resultsDir, path.resolve(this.options.resultsDir), this.dataDir, path.resolve(this.options.dataDir), tmpdir(), path.dirname(this.resultsDir)];
  }

  /**
   * DuckDB's message without the server's folders and without the `LINE n:` excerpt, which points
   * into the rendered statement (views prepended) rather than the SQL the user wrote.
   */
  private engineMessage(e: unknown): string {
    let message = e instanceof Error ? e.message : String(e);
    const excerpt = message.search(/\n\s*LINE \d+:/);
    if (excerpt >= 0) message = message.slice(0, excerpt);
    for (const dir of new Set(this.serverFolders())) {
      message = message.replaceAll(`${dir}${path.sep}`, '');
    }
    return message.trim() || 'the query failed';
  }

  /** Records the terminal state; status() reports it only once it is on disk, so it survives a restart. */
  private async finish(job: Job, state: 'SUCCEEDED' | 'FAILED' | 'CANCELLED', extra: Partial<ExecutionStatus>): Promise<void> {
    if (job.finishing || isTerminalState(job.status.state)) return;
    job.finishing = true;
    const finishedAt = this.now();
    const startedAt = job.status.startedAt;
    const final: ExecutionStatus = { ...job.status, ...extra, state, finishedAt, elapsedMs: startedAt ? Date.parse(finishedAt) - Date.parse(startedAt) : 0 };
    try {
      await this.persist(job, final);
    } finally {
      job.status = final;
      this.jobs.delete(final.id);
      job.settle();
    }
  }

  private snapshot(job: Job): ExecutionStatus {
    const { startedAt } = job.status;
    const elapsedMs = job.status.state === 'RUNNING' && startedAt ? Math.max(0, this.clock().getTime() - Date.parse(startedAt)) : job.status.elapsedMs;
    return { ...job.status, elapsedMs };
  }

  private persist(job: Job, status: ExecutionStatus = job.status): Promise<void> {
    const snapshot = JSON.stringify(status);
    const file = executionFiles(this.resultsDir, status.id).status;
    job.persisted = job.persisted.catch(() => undefined).then(() => writeFileAtomic(file, snapshot));
    return job.persisted;
  }

  private now(): string {
    return this.clock().toISOString();
  }
}
