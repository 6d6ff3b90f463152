import { createHash } from 'node:crypto';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetWorkGroupCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import type { S3Client } from '@aws-sdk/client-s3';
import { isTerminalState, windowDates, type ColumnInfo, type DateWindow } from '@access-monitor/contracts';
import { recoverRenderedStatement, TRINO_DIALECT, type TrinoSource } from '@access-monitor/sql';
import { createDuckDbSqlParser } from '../duckdb/duckdb-sql-parser';
import { createS3Client, createS3ObjectStore, parseS3Uri } from '@access-monitor/storage';
import { createQueryEngine } from '../engine-core';
import type { EngineDriver, ResultLocation, Submission } from '../engine-driver';
import { AssumeRoleFailed, AthenaRequestFailed, AthenaThrottled, ExecutionNotFound, ResultUnavailable, formatBytes } from '../errors';
import type { EngineErrorInfo, ExecutionStatus, QueryEngine } from '../query-engine';
import { CsvRecordScanner } from '../results/csv-record-scanner';
import { resultKeys, type ResultMetadata, type ResultReader } from '../results/result-reader';
import { ResultReaders } from '../results/result-readers';
import { errorName, withRetries, type RetryPolicy } from './aws-retry';
import { AthenaEngineErrorCodes, athenaFailure, athenaState, athenaTimes } from './athena-status';
import { ObjectStoreResultFileSource } from './object-store-result-source';
import { roleCredentials, type AwsCredentials, type RoleCredentials } from './role-credentials';

export interface AthenaEngineOptions {
  /** Glue database and table of Teleport's audit events (`athena://database.table`). */
  database: string;
  table: string;
  region: string;
  /** `access_monitoring.workgroup`; default `primary`. */
  workgroup?: string;
  /** `queryResultsS3` of the URI: Athena's ResultConfiguration.OutputLocation, unless the workgroup enforces its own. */
  outputLocation?: string;
  /** `locationS3` of the URI: the table's Parquet, listed (s3:ListBucket) to estimate bytes scanned before a query runs. */
  locationS3?: string;
  /** `access_monitoring.role_arn`: every Athena and S3 request runs as this role. */
  roleArn?: string;
  /** Session name for the assumed role; default `access-monitor-<host>`. */
  roleSessionName?: string;
  /** Lifetime asked of STS for the role's credentials; default STS's own (1 hour). */
  roleDurationSeconds?: number;
  /** Overrides of the AWS endpoints (`aws.endpoints.*`), e.g. loopback peers. */
  endpoints?: { athena?: string; s3?: string; sts?: string };
  /** Path-style S3 addressing, which S3-compatible servers need. */
  forcePathStyle?: boolean;
  /** Credentials to use (or, with `roleArn`, to assume the role with); default: the SDK's provider chain. */
  credentials?: AwsCredentials;
  /** Our own deadline per query: past it, StopQueryExecution is sent and the execution reads CANCELLED. Default 15 minutes. */
  queryTimeoutMs?: number;
  /** status() answers from a cached GetQueryExecution younger than this, so many pollers make one request. Default 250 ms. */
  pollIntervalMs?: number;
  /** Retries of throttled and failed requests. */
  retry?: RetryPolicy;
  /** Rows between two entries of a result's row index. Default 1000. */
  rowsPerIndexEntry?: number;
  /** Told about degraded operation (e.g. GetWorkGroup denied by IAM). */
  onWarning?: (message: string) => void;
  clock?: () => Date;
}

/** What this instance knows about an execution it started (another instance knows only what Athena says). */
interface Started {
  sql: string;
  window: DateWindow;
  maxBytesScanned?: number;
  /** StartQuery's own deadline, when shorter or longer than the engine's queryTimeoutMs. */
  timeoutMs?: number;
  /** Why we stopped it, when we did: reported instead of Athena's reason. */
  stopped?: { state: 'CANCELLED' | 'FAILED'; error: EngineErrorInfo };
  deadline?: NodeJS.Timeout;
}

interface WorkgroupSettings {
  enforced: boolean;
  bytesScannedCutoff?: number;
}

const EXECUTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REMEMBERED = 10_000;
/** Only the window of executions started elsewhere and not recoverable from Athena's copy of the query. */
const UNKNOWN_WINDOW: DateWindow = { start: '1970-01-01', end: '1970-01-01' };

/**
 * The production engine: Amazon Athena over Teleport's audit table. Statements are guarded on
 * Trino's parse tree (the one Athena builds), rendered in Trino with the views as CTEs restricted to the window, and
 * started with an idempotency token; results are read from the CSV Athena writes to S3 (ranged and
 * resumed), never through GetQueryResults pages. The engine keeps no state another instance needs:
 * status comes from Athena, result metadata and row indexes live beside the CSV in S3.
 */
export async function createAthenaEngine(options: AthenaEngineOptions): Promise<QueryEngine> {
  const parser = await createDuckDbSqlParser();
  const readers = new ResultReaders(options.rowsPerIndexEntry !== undefined ? { rowsPerIndexEntry: options.rowsPerIndexEntry } : {});
  let driver: AthenaDriver;
  try {
    driver = new AthenaDriver(options, readers);
  } catch (e) {
    parser.close();
    throw e;
  }
  return createQueryEngine(driver, { parser, readers });
}

/** Athena's own calls: StartQueryExecution with a ClientRequestToken, states from GetQueryExecution, results in S3. */
class AthenaDriver implements EngineDriver<TrinoSource> {
  readonly name = 'athena';
  readonly dialect = TRINO_DIALECT;
  private readonly athena: AthenaClient;
  private readonly s3: S3Client;
  private readonly role?: RoleCredentials;
  private readonly retry: RetryPolicy;
  private readonly workgroupName: string;
  private readonly table: string;
  private readonly queryTimeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly clock: () => Date;
  private readonly started = new Map<string, Started>();
  private readonly finished = new Map<string, ExecutionStatus>();
  private readonly recent = new Map<string, { at: number; execution: Promise<QueryExecution> }>();
  private readonly metadata = new Map<string, Promise<ResultMetadata>>();
  /** OutputLocation of SUCCEEDED executions, so reading a result needs no further GetQueryExecution. */
  private readonly locations = new Map<string, string>();
  private workgroupSettings?: Promise<WorkgroupSettings>;
  private closed = false;

  constructor(
    private readonly options: AthenaEngineOptions,
    private readonly readers: ResultReaders,
  ) {
    this.retry = options.retry ?? {};
    this.workgroupName = options.workgroup ?? 'primary';
    this.table = `${options.database}.${options.table}`;
    this.queryTimeoutMs = options.queryTimeoutMs ?? 15 * 60_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.clock = options.clock ?? (() => new Date());
    if (options.outputLocation !== undefined) parseS3Uri(options.outputLocation); // a clear error now rather than at the first query
    if (options.roleArn !== undefined) {
      this.role = roleCredentials({
        roleArn: options.roleArn,
        region: options.region,
        ...(options.endpoints?.sts !== undefined ? { stsEndpoint: options.endpoints.sts } : {}),
        ...(options.credentials !== undefined ? { sourceCredentials: options.credentials } : {}),
        ...(options.roleDurationSeconds !== undefined ? { durationSeconds: options.roleDurationSeconds } : {}),
        ...(options.roleSessionName !== undefined ? { sessionName: options.roleSessionName } : {}),
      });
    }
    const credentials = this.role?.provider ?? options.credentials;
    this.athena = new AthenaClient({
      region: options.region,
      ...(options.endpoints?.athena !== undefined ? { endpoint: options.endpoints.athena } : {}),
      ...(credentials !== undefined ? { credentials } : {}),
      maxAttempts: 1, // withRetries owns retrying, with its jitter and its AthenaThrottled
    });
    this.s3 = createS3Client({
      region: options.region,
      ...(options.endpoints?.s3 !== undefined ? { endpoint: options.endpoints.s3 } : {}),
      ...(credentials !== undefined ? { credentials } : {}),
      forcePathStyle: options.forcePathStyle ?? false,
    });
  }

  // Guarded on Trino's tree (what Athena parses) before this: nothing is sent for a statement that may not run.
  async submit({ query: q, render, assertOpen }: Submission<TrinoSource>): Promise<string> {
    const queryString = render({ table: this.table });
    const workgroup = await this.workgroup();
    const outputLocation = workgroup.enforced ? undefined : this.options.outputLocation;
    assertOpen();
    const output = await this.call('StartQueryExecution', () =>
      this.athena.send(
        new StartQueryExecutionCommand({
          QueryString: queryString,
          QueryExecutionContext: { Database: this.options.database, Catalog: 'AwsDataCatalog' },
          WorkGroup: this.workgroupName,
          ...(outputLocation !== undefined ? { ResultConfiguration: { OutputLocation: outputLocation } } : {}),
          ClientRequestToken: clientRequestToken(q.token),
        }),
      ),
    );
    const id = output.QueryExecutionId;
    if (id === undefined) throw new AthenaRequestFailed('StartQueryExecution', 'NoQueryExecutionId', 'Athena answered without a QueryExecutionId');
    this.remember(id, { sql: q.sql, window: { start: q.window.start, end: q.window.end }, ...(q.maxBytesScanned !== undefined ? { maxBytesScanned: q.maxBytesScanned } : {}), ...(q.timeoutMs !== undefined ? { timeoutMs: q.timeoutMs } : {}) });
    return id;
  }

  async status(id: string): Promise<ExecutionStatus> {
    if (!EXECUTION_ID.test(id)) throw new ExecutionNotFound(id);
    const done = this.finished.get(id);
    if (done) return done;
    const execution = await this.execution(id);
    let status = await this.present(id, execution);
    if (!isTerminalState(status.state)) status = await this.enforceLimits(id, execution, status);
    if (isTerminalState(status.state)) {
      this.finished.set(id, status);
      while (this.finished.size > REMEMBERED) this.finished.delete(this.finished.keys().next().value!);
      this.forget(id);
    }
    return status;
  }

  async cancel(id: string): Promise<void> {
    const status = await this.status(id); // ExecutionNotFound for an unknown id
    if (isTerminalState(status.state)) return;
    await this.stop(id, { state: 'CANCELLED', error: { code: AthenaEngineErrorCodes.cancelled, message: 'cancelled by the user' } });
  }

  /** Like Athena's partition pruning: the size of the Parquet in the window's `<YYYY-MM-DD>/` folders under locationS3. */
  async estimateBytes(window: DateWindow): Promise<number> {
    if (this.options.locationS3 === undefined) throw new RangeError('estimateBytes needs locationS3 (the table location from audit_events_uri)');
    const { bucket, prefix } = parseS3Uri(this.options.locationS3);
    const store = createS3ObjectStore({ client: this.s3, bucket, prefix });
    let bytes = 0;
    for (const date of windowDates(window)) {
      for await (const object of store.list(`${date}/`)) if (object.key.endsWith('.parquet')) bytes += object.size;
    }
    return bytes;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Queries keep running in Athena: another instance can serve them. Only our timers stop.
    for (const entry of this.started.values()) clearTimeout(entry.deadline);
    this.athena.destroy();
    this.s3.destroy();
  }

  // ---- Athena requests ----

  /** One Athena request with retries; what still fails is AthenaThrottled, AssumeRoleFailed or AthenaRequestFailed. */
  private async call<T>(operation: string, request: () => Promise<T>): Promise<T> {
    try {
      return await withRetries(operation, this.retry, request, this.role ? () => this.role!.invalidate() : undefined);
    } catch (e) {
      if (e instanceof AthenaThrottled || e instanceof AssumeRoleFailed || !(e instanceof Error)) throw e;
      const athenaCode = (e as { AthenaErrorCode?: string }).AthenaErrorCode;
      throw new AthenaRequestFailed(operation, errorName(e), athenaCode ? `${e.message} (${athenaCode})` : e.message, { cause: e });
    }
  }

  /** GetQueryExecution, shared by callers within pollIntervalMs of each other. */
  private execution(id: string): Promise<QueryExecution> {
    const now = Date.now();
    const cached = this.recent.get(id);
    if (cached && now - cached.at < this.pollIntervalMs) return cached.execution;
    const execution = this.call('GetQueryExecution', () => this.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).then(
      (out) => {
        if (!out.QueryExecution) throw new ExecutionNotFound(id);
        return out.QueryExecution;
      },
      (e: unknown) => {
        // The only input is the id: Athena refuses an id it never issued as an invalid request.
        if (e instanceof AthenaRequestFailed && e.code === 'InvalidRequestException') throw new ExecutionNotFound(id);
        throw e;
      },
    );
    this.recent.set(id, { at: now, execution });
    execution.catch(() => this.recent.delete(id));
    while (this.recent.size > REMEMBERED) this.recent.delete(this.recent.keys().next().value!);
    return execution;
  }

  /** The workgroup's enforcement and cutoff, asked once; IAM may not allow asking (the documented policy does not). */
  private workgroup(): Promise<WorkgroupSettings> {
    this.workgroupSettings ??= this.call('GetWorkGroup', () => this.athena.send(new GetWorkGroupCommand({ WorkGroup: this.workgroupName }))).then(
      (out) => {
        const configuration = out.WorkGroup?.Configuration;
        return {
          enforced: configuration?.EnforceWorkGroupConfiguration === true,
          ...(configuration?.BytesScannedCutoffPerQuery !== undefined ? { bytesScannedCutoff: configuration.BytesScannedCutoffPerQuery } : {}),
        };
      },
      (e: unknown) => {
        if (e instanceof AthenaRequestFailed && e.code === 'AccessDeniedException') {
          // Sending OutputLocation is harmless when the workgroup enforces its own: Athena then ignores it.
          this.options.onWarning?.(`athena:GetWorkGroup is not allowed on workgroup ${this.workgroupName}; assuming it does not enforce its result location`);
          return { enforced: false };
        }
        this.workgroupSettings = undefined; // ask again next time
        throw e;
      },
    );
    return this.workgroupSettings;
  }

  private async stop(id: string, reason: NonNullable<Started['stopped']>): Promise<void> {
    const entry = this.started.get(id);
    if (entry && !entry.stopped) entry.stopped = reason;
    if (!entry) this.remember(id, { sql: '', window: UNKNOWN_WINDOW, stopped: reason }, false);
    try {
      await this.call('StopQueryExecution', () => this.athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id })));
    } catch (e) {
      if (e instanceof AthenaRequestFailed && e.code === 'AccessDeniedException') {
        throw new AthenaRequestFailed('StopQueryExecution', 'AccessDeniedException', `${(e.cause as Error).message} (grant athena:StopQueryExecution on the workgroup to the role, so queries can be cancelled)`);
      }
      throw e;
    }
    this.recent.delete(id);
  }

  // ---- status ----

  private async present(id: string, execution: QueryExecution): Promise<ExecutionStatus> {
    const entry = this.started.get(id);
    // Started elsewhere (another instance, before a restart): the user's SQL and window are read back from Athena's copy.
    const recovered = entry?.sql ? undefined : recoverRenderedStatement(execution.Query ?? '');
    const sql = entry?.sql || recovered?.sql || execution.Query || '';
    const window = entry?.sql ? entry.window : (recovered?.window ?? UNKNOWN_WINDOW);
    const base = {
      id,
      sql,
      window,
      ...athenaTimes(execution, this.clock()),
      bytesScanned: execution.Statistics?.DataScannedInBytes ?? 0,
    };
    const state = athenaState(execution);
    switch (state) {
      case 'SUCCEEDED': {
        const location = execution.ResultConfiguration?.OutputLocation;
        if (!location) throw new ResultUnavailable(id, 'Athena names no output location for it');
        this.locations.set(id, location);
        while (this.locations.size > REMEMBERED) this.locations.delete(this.locations.keys().next().value!);
        const metadata = await this.resultMetadata(id, location);
        return { ...base, state, rowCount: metadata.rowCount, columns: metadata.columns };
      }
      case 'FAILED':
        return { ...base, state, error: athenaFailure(execution, sql) };
      case 'CANCELLED':
        return { ...base, ...(await this.cancellation(execution, entry)) };
      default:
        return { ...base, state };
    }
  }

  /** Why a CANCELLED execution was cancelled: our stop, the workgroup's bytes cutoff, or someone else. */
  private async cancellation(execution: QueryExecution, entry: Started | undefined): Promise<{ state: 'CANCELLED' | 'FAILED'; error: EngineErrorInfo }> {
    if (entry?.stopped) return entry.stopped;
    const reason = execution.Status?.StateChangeReason;
    const scanned = execution.Statistics?.DataScannedInBytes ?? 0;
    const cutoff = (await this.workgroup().catch(() => undefined))?.bytesScannedCutoff;
    // Athena cancels a query that passes the workgroup's per-query data usage control.
    if ((cutoff !== undefined && scanned >= cutoff) || /bytes scanned limit/i.test(reason ?? '')) {
      const limit = cutoff !== undefined ? ` of ${formatBytes(cutoff)} (${cutoff} bytes) per query` : '';
      return {
        state: 'FAILED',
        error: { code: AthenaEngineErrorCodes.scanLimit, message: `the query passed the workgroup ${this.workgroupName}'s bytes scanned limit${limit} and Athena cancelled it${reason ? ` (${reason})` : ''}` },
      };
    }
    const submitted = execution.Status?.SubmissionDateTime;
    const completed = execution.Status?.CompletionDateTime;
    if (!entry && submitted && completed && completed.getTime() - submitted.getTime() >= this.queryTimeoutMs) {
      return { state: 'CANCELLED', error: timeoutError(this.queryTimeoutMs) }; // stopped by another instance's deadline
    }
    return { state: 'CANCELLED', error: { code: AthenaEngineErrorCodes.cancelled, message: reason ?? 'the query was cancelled in Amazon Athena' } };
  }

  /** Our deadline and the caller's scan budget, checked on every status of a running execution. */
  private async enforceLimits(id: string, execution: QueryExecution, status: ExecutionStatus): Promise<ExecutionStatus> {
    const entry = this.started.get(id);
    if (entry?.stopped) return status;
    const submitted = execution.Status?.SubmissionDateTime?.getTime() ?? this.clock().getTime();
    const timeoutMs = entry?.timeoutMs ?? this.queryTimeoutMs;
    if (this.clock().getTime() - submitted >= timeoutMs) {
      await this.stop(id, { state: 'CANCELLED', error: timeoutError(timeoutMs) });
    } else if (entry?.maxBytesScanned !== undefined && status.bytesScanned > entry.maxBytesScanned) {
      const limit = entry.maxBytesScanned;
      await this.stop(id, { state: 'FAILED', error: { code: AthenaEngineErrorCodes.scanLimit, message: `the query scanned ${formatBytes(status.bytesScanned)}, over the limit of ${formatBytes(limit)} (${limit} bytes), and was stopped` } });
    }
    return status;
  }

  private remember(id: string, entry: Started, withDeadline = true): void {
    if (withDeadline) {
      // Nobody may be polling: the deadline is enforced on its own too (again later if Athena's clock is behind ours).
      const check = (delay: number): void => {
        entry.deadline = setTimeout(() => {
          void this.status(id).then(
            (s) => {
              if (!isTerminalState(s.state) && !entry.stopped && !this.closed) check(1000);
            },
            () => undefined,
          );
        }, delay);
        entry.deadline.unref();
      };
      check((entry.timeoutMs ?? this.queryTimeoutMs) + 10);
    }
    this.started.set(id, entry);
    while (this.started.size > REMEMBERED) {
      const [oldest, old] = this.started.entries().next().value!;
      clearTimeout(old.deadline);
      this.started.delete(oldest);
    }
  }

  private forget(id: string): void {
    clearTimeout(this.started.get(id)?.deadline);
    this.started.delete(id);
    this.recent.delete(id);
  }

  // ---- results ----

  async results(id: string): Promise<ResultLocation> {
    const location = this.locations.get(id) ?? (await this.execution(id)).ResultConfiguration?.OutputLocation;
    if (!location) throw new ResultUnavailable(id, 'Athena names no output location for it');
    return { ...this.resultLocation(id, location), metadata: await this.resultMetadata(id, location) };
  }

  /** The S3 prefix Athena wrote this execution's `<id>.csv` to. */
  private resultLocation(id: string, location: string): ResultLocation {
    const { bucket, prefix } = this.resultPrefix(id, location);
    return { key: `${bucket}/${prefix}`, source: () => new ObjectStoreResultFileSource(createS3ObjectStore({ client: this.s3, bucket, prefix })) };
  }

  /** The reader for the S3 prefix of this execution's result, shared with the engine's pages and downloads. */
  private readerFor(id: string, location: string): ResultReader {
    const { key, source } = this.resultLocation(id, location);
    return this.readers.readerFor(key, source);
  }

  /** Bucket and prefix of `s3://bucket/prefix/<id>.csv`, Athena's output location for a query. */
  private resultPrefix(id: string, location: string): { bucket: string; prefix: string } {
    let parsed;
    try {
      parsed = parseS3Uri(location);
    } catch (e) {
      throw new ResultUnavailable(id, `its output location ${location} is not an S3 URI (${(e as Error).message})`);
    }
    const slash = parsed.prefix.lastIndexOf('/');
    const file = parsed.prefix.slice(slash + 1);
    if (file !== resultKeys.csv(id)) throw new ResultUnavailable(id, `its output ${location} is not the ${resultKeys.csv(id)} Athena writes for a query`);
    return { bucket: parsed.bucket, prefix: slash < 0 ? '' : parsed.prefix.slice(0, slash) };
  }

  /**
   * Columns and row count of a SUCCEEDED execution. Athena's own `.csv.metadata` is a binary
   * protobuf, so: columns from one GetQueryResults call (MaxResults 1, never pages of rows), the
   * row count from one streamed pass over the CSV; both stored beside it as `<id>.csv.metadata.json`
   * so no instance does this twice.
   */
  private resultMetadata(id: string, location: string): Promise<ResultMetadata> {
    let pending = this.metadata.get(id);
    if (!pending) {
      pending = this.loadMetadata(id, location);
      this.metadata.set(id, pending);
      pending.catch(() => this.metadata.delete(id));
      while (this.metadata.size > REMEMBERED) this.metadata.delete(this.metadata.keys().next().value!);
    }
    return pending;
  }

  private async loadMetadata(id: string, location: string): Promise<ResultMetadata> {
    const reader = this.readerFor(id, location);
    const stored = await reader.metadata(id).catch(() => undefined);
    if (stored) return stored;
    const results = await this.call('GetQueryResults', () => this.athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1 })));
    const columns: ColumnInfo[] = (results.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({ name: c.Name ?? c.Label ?? '', type: (c.Type ?? 'varchar').toLowerCase() }));
    const rowCount = await this.countRows(id, reader);
    const metadata = { columns, rowCount };
    const { bucket, prefix } = this.resultPrefix(id, location);
    // Best effort: without it the next instance counts again.
    await createS3ObjectStore({ client: this.s3, bucket, prefix })
      .put(resultKeys.metadata(id), JSON.stringify(metadata), { contentType: 'application/json' })
      .catch((e: unknown) => this.options.onWarning?.(`cannot store the metadata of result ${id}: ${(e as Error).message}`));
    return metadata;
  }

  private async countRows(id: string, reader: ResultReader): Promise<number> {
    const stream = await reader
      .csv(id)
      .catch((e: unknown) => {
        throw e instanceof ResultUnavailable ? e : new ResultUnavailable(id, (e as Error).message);
      });
    let records = 0;
    const scanner = new CsvRecordScanner(() => records++, 0, false);
    try {
      for await (const chunk of stream) scanner.push(chunk as Buffer);
      scanner.finish();
    } catch (e) {
      throw new ResultUnavailable(id, `the CSV cannot be read (${(e as Error).message})`);
    } finally {
      stream.destroy();
    }
    if (records === 0) throw new ResultUnavailable(id, 'the CSV file is empty (not even a header)');
    return records - 1;
  }
}

/**
 * Athena's ClientRequestToken (32–128 characters) for a StartQuery token: the same token gives the
 * same execution from any instance, and retries of one start never run the query twice.
 */
export function clientRequestToken(token: string): string {
  return `access-monitor-${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

function timeoutError(timeoutMs: number): EngineErrorInfo {
  return { code: AthenaEngineErrorCodes.timeout, message: `stopped after running longer than the query timeout of ${formatDuration(timeoutMs)}` };
}

function formatDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
