import { createHash, randomUUID } from 'node:crypto';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DuckDBConnection } from '@duckdb/node-api';
import { isTerminalState, type ColumnInfo } from '@access-monitor/contracts';
import { athenaCsvLine, CsvRecordScanner, writeSelectResult } from '@access-monitor/engine';
import { parseS3Uri } from '@access-monitor/storage';
import type { AthenaFaults, InjectedFailure } from './athena-faults';
import { AthenaQueryError, START } from './athena-query-error';
import { invalidRequest } from './aws-wire';
import { GlueTables } from './glue-tables';
import type { TranslatedQuery, TrinoTranslator } from './trino-translator';

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
  translator: TrinoTranslator;
}

/**
 * Runs Athena's query executions: any single read-only Trino statement over the configured Glue
 * tables, translated to DuckDB by a transpiler (TrinoTranslator) and run over a local copy of the
 * tables' Parquet. The peer knows nothing of how access-monitor renders SQL.
 */
export class AthenaExecutions {
  readonly executions = new Map<string, PeerExecution>();
  private readonly tokens = new Map<string, { id: string; fingerprint: string }>();
  private readonly connections = new Map<string, DuckDBConnection>();
  private glue?: Promise<GlueTables>;
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
    // Athena refuses a second statement when the query is started, not when it runs.
    if (this.options.translator.statementCount(query) > 1) throw invalidRequest(`Only one sql statement is allowed. Got: ${query}`);

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
    this.connections.get(id)?.interrupt();
    if (execution.state === 'QUEUED') this.finish(execution, 'CANCELLED', { reason: 'Query was cancelled by user' });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const e of this.executions.values()) e.abort.abort();
    for (const c of this.connections.values()) c.interrupt();
    const glue = await this.glue?.catch(() => undefined);
    glue?.close();
  }

  private async run(execution: PeerExecution): Promise<void> {
    const queueDelay = this.options.faults.takeQueueDelay();
    if (queueDelay > 0) await sleep(queueDelay, undefined, { signal: execution.abort.signal }).catch(() => undefined);
    if (execution.stopRequested || isTerminalState(execution.state)) return;
    execution.state = 'RUNNING';
    execution.startedAt = new Date();

    const injected = this.options.faults.takeFailure();
    if (injected) return this.failWith(execution, injected);

    const glue = await (this.glue ??= GlueTables.open({ s3: this.options.s3, tables: this.options.tables, cacheDir: this.options.cacheDir, threads: this.options.threads }));
    let translated: TranslatedQuery;
    try {
      translated = this.options.translator.translate(execution.query, {
        ...(execution.database !== undefined ? { database: execution.database } : {}),
        ...(execution.catalog !== undefined ? { catalog: execution.catalog } : {}),
        tables: glue.names,
      });
    } catch (e) {
      if (e instanceof AthenaQueryError) return this.failQuery(execution, e);
      throw e;
    }

    // Athena reads only the partitions the predicates on event_date allow: that is what it bills.
    for (const table of new Set(translated.scans.map((s) => s.table))) await glue.sync(table);
    const scanned = translated.scans.reduce((sum, s) => sum + glue.bytesScanned(s.table, s.filter), 0);
    const cutoff = this.options.workgroups.get(execution.workgroup)?.bytesScannedCutoffPerQuery;
    if (cutoff !== undefined && scanned > cutoff) {
      execution.dataScannedInBytes = cutoff; // Athena stops reading at the cutoff
      return this.finish(execution, 'CANCELLED', { reason: 'Bytes scanned limit was exceeded' });
    }
    execution.dataScannedInBytes = scanned;
    if (execution.stopRequested || this.closed) return this.finish(execution, 'CANCELLED', { reason: 'Query was cancelled by user' });

    const connection = await glue.connect();
    this.connections.set(execution.id, connection);
    const localCsv = path.join(glue.resultsDir, `${execution.id}.csv`);
    try {
      const columns = translated.explain ? await this.explain(connection, translated, localCsv) : (await writeSelectResult(connection, translated.duckdb, { resultsDir: glue.resultsDir, id: execution.id, columnNames: translated.columnNames })).columns;
      const slow = this.options.faults.takeSlowResults();
      if (slow > 0) await sleep(slow, undefined, { signal: execution.abort.signal }).catch(() => undefined);
      if (execution.stopRequested) return this.finish(execution, 'CANCELLED', { reason: 'Query was cancelled by user' });
      await this.writeResult(execution, localCsv, columns);
      execution.localCsv = localCsv;
      execution.columns = columns;
      return this.finish(execution, 'SUCCEEDED', {});
    } catch (e) {
      if (execution.stopRequested || this.closed) return this.finish(execution, 'CANCELLED', { reason: 'Query was cancelled by user' });
      return this.failQuery(execution, this.duckDbFailure(execution.query, e));
    } finally {
      this.connections.delete(execution.id);
      connection.closeSync();
    }
  }

  /** EXPLAIN: Athena answers one `Query Plan` column; here DuckDB's plan of the translated statement. */
  private async explain(connection: DuckDBConnection, translated: TranslatedQuery, localCsv: string): Promise<ColumnInfo[]> {
    const reader = await connection.runAndReadAll(`EXPLAIN ${translated.duckdb}`);
    const plan = reader
      .getRows()
      .map((row) => String(row[1] ?? ''))
      .join('\n');
    await writeFile(localCsv, athenaCsvLine(['Query Plan']) + athenaCsvLine([plan]));
    return [{ name: 'Query Plan', type: 'varchar' }];
  }

  /** What Athena would name a failure of the translated statement; the peer's own limits say so. */
  private duckDbFailure(query: string, e: unknown): AthenaQueryError {
    const message = (e instanceof Error ? e.message : String(e)).replace(/\n\s*LINE \d+:[\s\S]*$/, '').trim();
    const column = message.startsWith('Binder Error') ? /Referenced column "([^"]+)" not found/.exec(message) : null;
    if (column) return new AthenaQueryError('COLUMN_NOT_FOUND', this.options.translator.locate(query, column[1]!), `Column '${column[1]}' cannot be resolved`);
    const fn = /^Catalog Error: (?:Scalar |Aggregate |Table )?Function with name "?([^"\s!]+)"? does not exist/i.exec(message);
    // The function is Trino's (the translator checked): DuckDB has no equivalent the transpiler knows.
    if (fn) return new AthenaQueryError('NOT_SUPPORTED', this.options.translator.locate(query, fn[1]!), `athena-local cannot run Trino's ${fn[1]}(): the transpiler has no DuckDB equivalent (${message})`);
    if (/^Parser Error/.test(message)) return new AthenaQueryError('SYNTAX_ERROR', START, `the translated statement does not parse in DuckDB: ${message}`);
    if (/^Conversion Error/.test(message)) return new AthenaQueryError('INVALID_CAST_ARGUMENT', START, message);
    if (/^Binder Error/.test(message)) return new AthenaQueryError('TYPE_MISMATCH', START, message);
    return new AthenaQueryError('GENERIC_USER_ERROR', START, message);
  }

  /** `<id>.csv` and `<id>.csv.metadata` at the output location, as Athena leaves them (the metadata as JSON here, not Athena's protobuf). */
  private async writeResult(execution: PeerExecution, localCsv: string, columns: ColumnInfo[]): Promise<void> {
    const { bucket, prefix } = parseS3Uri(execution.outputLocation);
    const body = await readFile(localCsv);
    await this.options.s3.send(new PutObjectCommand({ Bucket: bucket, Key: prefix, Body: body, ContentLength: body.byteLength, ContentType: 'text/csv' }));
    const metadata = JSON.stringify({ columns });
    await this.options.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}.metadata`, Body: metadata, ContentType: 'application/octet-stream' }));
    await unlink(`${localCsv}.metadata.json`).catch(() => undefined);
  }

  private failWith(execution: PeerExecution, failure: InjectedFailure): void {
    this.fail(execution, failure.errorCode, failure.message, failure.errorCategory ?? 2, failure.errorType ?? 1000);
  }

  private failQuery(execution: PeerExecution, error: AthenaQueryError): void {
    this.fail(execution, error.errorName, `line ${error.location.line}:${error.location.column}: ${error.detail}`, 2, 1000);
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
