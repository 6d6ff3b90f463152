import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isTerminalState, type ColumnInfo, type DateWindow } from '@access-monitor/contracts';
import { createDuckDbEngine, CsvRecordScanner, ScanLimitExceeded, type QueryEngine } from '@access-monitor/engine';
import { guardStatement, recoverRenderedStatement, renderExecutable, SqlInvalid, SqlRejected } from '@access-monitor/sql';
import { createDuckDbSqlParser } from '@access-monitor/sql/duckdb-parser';
import { parseS3Uri } from '@access-monitor/storage';
import type { AthenaFaults, InjectedFailure } from './athena-faults';
import { invalidRequest } from './aws-wire';
import { ParquetCache } from './parquet-cache';

export type AthenaState = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface WorkgroupConfig {
  name: string;
  /** The workgroup's ResultConfiguration.OutputLocation. */
  outputLocation?: string;
  /** EnforceWorkGroupConfiguration: the workgroup's output location wins over the request's. */
  enforce?: boolean;
  /** BytesScannedCutoffPerQuery: a query that would scan more is cancelled. */
  bytesScannedCutoffPerQuery?: number;
}

/** One query execution, in Athena's terms. */
export interface PeerExecution {
  id: string;
  query: string;
  database?: string;
  catalog?: string;
  workgroup: string;
  /** `s3://…/<id>.csv` */
  outputLocation: string;
  /** The ResultConfiguration.OutputLocation the request sent, if any (tests check it is left out when the workgroup enforces its own). */
  requestedOutputLocation?: string;
  clientRequestToken?: string;
  state: AthenaState;
  stateChangeReason?: string;
  athenaError?: { ErrorCategory: number; ErrorType: number; Retryable: boolean; ErrorMessage: string };
  submittedAt: Date;
  startedAt?: Date;
  completedAt?: Date;
  dataScannedInBytes: number;
  columns?: ColumnInfo[];
  /** The DuckDB result CSV, once written. */
  localCsv?: string;
  stopRequested: boolean;
  abort: AbortController;
}

export interface ExecutionsOptions {
  s3: S3Client;
  /** `database.table` → `s3://bucket/prefix` of its Parquet (Teleport's `locationS3`). */
  tables: Record<string, string>;
  workgroups: Map<string, WorkgroupConfig>;
  faults: AthenaFaults;
  cacheDir: string;
  threads: number;
}

interface TableRunner {
  cache: ParquetCache;
  engine: QueryEngine;
  resultsDir: string;
}

/**
 * Runs Athena's query executions on DuckDB. Athena receives the Trino text access-monitor renders
 * (views as CTEs over the table); the peer reads the user's statement and window back from it,
 * checks that rendering it again gives exactly that text (so the engine's rendering is what is
 * under test), then runs it through the DuckDB engine over a local copy of the table's Parquet,
 * which goes through the same guard and compatibility layer as the embedded engine.
 */
export class AthenaExecutions {
  readonly executions = new Map<string, PeerExecution>();
  private readonly tokens = new Map<string, { id: string; fingerprint: string }>();
  private readonly runners = new Map<string, Promise<TableRunner>>();
  private parser?: Promise<Awaited<ReturnType<typeof createDuckDbSqlParser>>>;
  private closed = false;

  constructor(private readonly options: ExecutionsOptions) {}

  start(request: { QueryString?: string; ClientRequestToken?: string; QueryExecutionContext?: { Database?: string; Catalog?: string }; WorkGroup?: string; ResultConfiguration?: { OutputLocation?: string } }): string {
    const query = request.QueryString;
    if (typeof query !== 'string' || query.length === 0 || query.length > 262_144) throw invalidRequest('QueryString must be 1 to 262144 characters long');
    const token = request.ClientRequestToken;
    if (token !== undefined && (token.length < 32 || token.length > 128)) throw invalidRequest(`1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length between 32 and 128`);
    const workgroupName = request.WorkGroup ?? 'primary';
    const workgroup = this.options.workgroups.get(workgroupName);
    if (!workgroup) throw invalidRequest(`WorkGroup ${workgroupName} is not found.`);
    const requested = request.ResultConfiguration?.OutputLocation;
    const location = workgroup.enforce && workgroup.outputLocation ? workgroup.outputLocation : (requested ?? workgroup.outputLocation);
    if (!location) throw invalidRequest('No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.');
    try {
      parseS3Uri(location);
    } catch {
      throw invalidRequest(`outputLocation ${location} is not a valid S3 path.`);
    }

    // ClientRequestToken: the same request again gets the same execution; different parameters are refused.
    const fingerprint = createHash('sha256').update(JSON.stringify([query, request.QueryExecutionContext ?? null, workgroupName, requested ?? null])).digest('hex');
    if (token !== undefined) {
      const known = this.tokens.get(token);
      if (known) {
        if (known.fingerprint !== fingerprint) throw invalidRequest('Idempotent parameters do not match');
        return known.id;
      }
    }
    const id = randomUUID();
    const execution: PeerExecution = {
      id,
      query,
      ...(request.QueryExecutionContext?.Database !== undefined ? { database: request.QueryExecutionContext.Database } : {}),
      ...(request.QueryExecutionContext?.Catalog !== undefined ? { catalog: request.QueryExecutionContext.Catalog } : {}),
      workgroup: workgroupName,
      outputLocation: `${location.replace(/\/+$/, '')}/${id}.csv`,
      ...(requested !== undefined ? { requestedOutputLocation: requested } : {}),
      ...(token !== undefined ? { clientRequestToken: token } : {}),
      state: 'QUEUED',
      submittedAt: new Date(),
      dataScannedInBytes: 0,
      stopRequested: false,
      abort: new AbortController(),
    };
    this.executions.set(id, execution);
    if (token !== undefined) this.tokens.set(token, { id, fingerprint });
    void this.run(execution).catch((e: unknown) => this.fail(execution, 'GENERIC_INTERNAL_ERROR', (e as Error).message, 1, 100));
    return id;
  }

  get(id: string): PeerExecution {
    const execution = this.executions.get(id);
    if (!execution) throw invalidRequest(`QueryExecution ${id} was not found`);
    return execution;
  }

  async stop(id: string): Promise<void> {
    const execution = this.get(id);
    if (isTerminalState(execution.state)) return;
    execution.stopRequested = true;
    execution.abort.abort();
    if (execution.state === 'QUEUED') this.finish(execution, 'CANCELLED', { reason: 'Query was cancelled by user' });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const e of this.executions.values()) e.abort.abort();
    const runners = await Promise.allSettled(this.runners.values());
    for (const r of runners) if (r.status === 'fulfilled') await r.value.engine.close();
    if (this.parser) (await this.parser).close();
  }

  private async run(execution: PeerExecution): Promise<void> {
    const queueDelay = this.options.faults.takeQueueDelay();
    if (queueDelay > 0) await sleep(queueDelay, undefined, { signal: execution.abort.signal }).catch(() => undefined);
    if (execution.stopRequested || isTerminalState(execution.state)) return;
    execution.state = 'RUNNING';
    execution.startedAt = new Date();

    const injected = this.options.faults.takeFailure();
    if (injected) return this.failWith(execution, injected);

    const statement = recoverRenderedStatement(execution.query);
    const window: DateWindow = statement?.window ?? { start: '1970-01-01', end: '1970-01-01' };
    if (!statement) return this.fail(execution, 'SYNTAX_ERROR', 'line 1:1: the statement could not be read', 2, 1000);
    const table = statement.table ?? Object.keys(this.options.tables)[0];
    if (table === undefined || this.options.tables[table] === undefined) {
      return this.fail(execution, 'TABLE_NOT_FOUND', `line 1:1: Table 'awsdatacatalog.${table ?? ''}' does not exist`, 2, 1000);
    }
    // Only statements access-monitor rendered: the guard accepts the user's part, and rendering it again gives Athena's text exactly.
    try {
      const parser = await (this.parser ??= createDuckDbSqlParser());
      const guarded = await guardStatement(statement.sql, parser);
      if (guarded.views.length > 0 && renderExecutable(guarded, window, { dialect: 'trino', table }) !== execution.query) {
        return this.fail(execution, 'SYNTAX_ERROR', 'line 1:1: the statement is not one access-monitor renders (views, window or table differ)', 2, 1000);
      }
    } catch (e) {
      if (e instanceof SqlInvalid || e instanceof SqlRejected) return this.fail(execution, 'SYNTAX_ERROR', `line 1:1: ${e.message}`, 2, 1000);
      throw e;
    }

    const runner = await this.runner(table);
    await runner.cache.sync();
    const cutoff = this.options.workgroups.get(execution.workgroup)?.bytesScannedCutoffPerQuery;
    let duckId: string;
    try {
      ({ id: duckId } = await runner.engine.start({ sql: statement.sql, window, token: execution.id, ...(cutoff !== undefined ? { maxBytesScanned: cutoff } : {}) }));
    } catch (e) {
      if (e instanceof ScanLimitExceeded) {
        // Athena stops reading at the cutoff and cancels the query.
        execution.dataScannedInBytes = e.limitBytes;
        return this.finish(execution, 'CANCELLED', { reason: 'Bytes scanned limit was exceeded' });
      }
      throw e;
    }
    for (let delay = 5; ; delay = Math.min(delay * 2, 50)) {
      if (execution.stopRequested) await runner.engine.cancel(duckId);
      const status = await runner.engine.status(duckId);
      execution.dataScannedInBytes = status.bytesScanned;
      if (status.state === 'SUCCEEDED') {
        const slow = this.options.faults.takeSlowResults();
        if (slow > 0) await sleep(slow, undefined, { signal: execution.abort.signal }).catch(() => undefined);
        if (execution.stopRequested) return this.finish(execution, 'CANCELLED', { reason: 'Query was cancelled by user' });
        const localCsv = path.join(runner.resultsDir, `${duckId}.csv`);
        await this.writeResult(execution, localCsv, status.columns ?? []);
        execution.localCsv = localCsv;
        execution.columns = status.columns ?? [];
        return this.finish(execution, 'SUCCEEDED', {});
      }
      if (status.state === 'CANCELLED') return this.finish(execution, 'CANCELLED', { reason: 'Query was cancelled by user' });
      if (status.state === 'FAILED') return this.fail(execution, duckErrorName(status.error?.message ?? ''), status.error?.message ?? 'the query failed', 2, 1000);
      if (this.closed) return;
      await sleep(delay);
    }
  }

  /** `<id>.csv` and `<id>.csv.metadata` at the output location, as Athena leaves them (the metadata as JSON here, not Athena's protobuf). */
  private async writeResult(execution: PeerExecution, localCsv: string, columns: ColumnInfo[]): Promise<void> {
    const { bucket, prefix } = parseS3Uri(execution.outputLocation);
    const body = await readFile(localCsv);
    await this.options.s3.send(new PutObjectCommand({ Bucket: bucket, Key: prefix, Body: body, ContentLength: body.byteLength, ContentType: 'text/csv' }));
    const metadata = JSON.stringify({ columns });
    await this.options.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}.metadata`, Body: metadata, ContentType: 'application/octet-stream' }));
  }

  private failWith(execution: PeerExecution, failure: InjectedFailure): void {
    this.fail(execution, failure.errorCode, failure.message, failure.errorCategory ?? 2, failure.errorType ?? 1000);
  }

  private fail(execution: PeerExecution, errorName: string, message: string, category: number, type: number): void {
    const text = `${errorName}: ${message}`;
    this.finish(execution, 'FAILED', { reason: text, athenaError: { ErrorCategory: category, ErrorType: type, Retryable: false, ErrorMessage: text } });
  }

  private finish(execution: PeerExecution, state: 'SUCCEEDED' | 'FAILED' | 'CANCELLED', extra: { reason?: string; athenaError?: PeerExecution['athenaError'] }): void {
    if (isTerminalState(execution.state)) return;
    execution.state = state;
    execution.completedAt = new Date();
    if (extra.reason !== undefined) execution.stateChangeReason = extra.reason;
    if (extra.athenaError !== undefined) execution.athenaError = extra.athenaError;
  }

  private runner(table: string): Promise<TableRunner> {
    let runner = this.runners.get(table);
    if (!runner) {
      runner = (async () => {
        const root = path.join(this.options.cacheDir, table.replace(/[^A-Za-z0-9_.-]/g, '_'));
        const dataDir = path.join(root, 'events');
        const resultsDir = path.join(root, 'results');
        await mkdir(dataDir, { recursive: true });
        const engine = await createDuckDbEngine({ dataDir, resultsDir, threads: this.options.threads, maxConcurrent: 4 });
        return { cache: new ParquetCache(this.options.s3, this.options.tables[table]!, dataDir), engine, resultsDir };
      })();
      this.runners.set(table, runner);
    }
    return runner;
  }

  /** The first `limit` data records of a SUCCEEDED execution's CSV, after `skip` of them, and whether more follow. */
  async rows(execution: PeerExecution, skip: number, limit: number): Promise<{ rows: Array<Array<string | null>>; more: boolean }> {
    const rows: Array<Array<string | null>> = [];
    let index = -1; // the header
    let more = false;
    const scanner = new CsvRecordScanner((fields) => {
      if (index >= skip && rows.length < limit) rows.push(fields!);
      else if (index >= skip) more = true;
      index++;
    });
    scanner.push(await readFile(execution.localCsv!));
    scanner.finish();
    return { rows, more };
  }
}

/** Athena's (Trino's) error name for a DuckDB failure, roughly: what a user of Athena would see first. */
function duckErrorName(message: string): string {
  if (/^Parser Error/.test(message)) return 'SYNTAX_ERROR';
  if (/^Binder Error/.test(message) && /column/i.test(message)) return 'COLUMN_NOT_FOUND';
  if (/^Catalog Error/.test(message) && /function/i.test(message)) return 'FUNCTION_NOT_FOUND';
  if (/^Conversion Error/.test(message)) return 'INVALID_CAST_ARGUMENT';
  return 'GENERIC_USER_ERROR';
}
