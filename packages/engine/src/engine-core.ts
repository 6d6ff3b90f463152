import type { Readable } from 'node:stream';
import type { AuditSchema, DateWindow, ResultsPage } from '@access-monitor/contracts';
import type { GuardedStatement, SqlParser } from '@access-monitor/sql';
import { auditSchema, guardStatement, renderWith } from '@access-monitor/sql';
import { createTrinoSqlParser } from '@access-monitor/sql/trino-parser';
import type { EngineDriver, Submission } from './engine-driver';
import { EngineClosed, ResultNotReady } from './errors';
import { IdempotentStarts } from './idempotent-starts';
import type { ExecutionRef, ExecutionStatus, QueryEngine, StartQuery, TypedStoreControl } from './query-engine';
import type { ResultReaderOptions } from './results/result-reader';
import { ResultReaders } from './results/result-readers';

export interface QueryEngineParts {
  /** DuckDB's SQL parser (the guard's tree for every dialect); closed with the engine. */
  parser: SqlParser & { close(): void };
  /** Shared with the driver when it reads results itself (Athena counts rows); otherwise made here. */
  readers?: ResultReaders;
  readerOptions?: ResultReaderOptions;
}

/**
 * A QueryEngine from a driver: the execution lifecycle lives here once (closed check → guard for the
 * driver's dialect → render → start once per token → status → results only from SUCCEEDED), and the
 * driver writes only the calls that differ per engine.
 */
export function createQueryEngine<S>(driver: EngineDriver<S>, parts: QueryEngineParts): QueryEngine {
  return new DriverEngine(driver, parts);
}

class DriverEngine<S> implements QueryEngine {
  readonly name: string;
  readonly typedStore?: TypedStoreControl;
  readonly estimateBytes?: (window: DateWindow) => Promise<number>;
  readonly waitForChange?: (id: string, maxWaitMs: number) => Promise<ExecutionStatus>;
  readonly dataVersion?: (window: DateWindow) => Promise<string>;
  private readonly starts = new IdempotentStarts();
  private readonly trino = createTrinoSqlParser();
  private readonly readers: ResultReaders;
  private readonly parser: SqlParser & { close(): void };
  private closed = false;
  private closing?: Promise<void>;

  constructor(
    private readonly driver: EngineDriver<S>,
    parts: QueryEngineParts,
  ) {
    this.name = driver.name;
    this.parser = parts.parser;
    this.readers = parts.readers ?? new ResultReaders(parts.readerOptions);
    // Optional members exist only when the driver has them: callers test for them (`engine.estimateBytes?.(…)`).
    if (driver.typedStore) this.typedStore = driver.typedStore;
    if (driver.estimateBytes) this.estimateBytes = (window) => driver.estimateBytes!(window);
    if (driver.waitForChange) this.waitForChange = (id, maxWaitMs) => driver.waitForChange!(id, maxWaitMs);
    if (driver.dataVersion) this.dataVersion = (window) => driver.dataVersion!(window);
  }

  start(q: StartQuery): Promise<ExecutionRef> {
    if (this.closed) return Promise.reject(new EngineClosed());
    return this.starts.start(q, async (query) => {
      const guarded = await this.guard(query.sql);
      const id = await this.driver.submit(this.submission(guarded, query));
      return { id, sql: query.sql, window: query.window };
    });
  }

  status(id: string): Promise<ExecutionStatus> {
    return this.driver.status(id);
  }

  cancel(id: string): Promise<void> {
    return this.driver.cancel(id);
  }

  async schema(): Promise<AuditSchema> {
    return auditSchema();
  }

  async page(id: string, offset: number, limit: number): Promise<ResultsPage> {
    const { reader, metadata } = await this.result(id);
    return reader.page(id, offset, limit, metadata);
  }

  async csv(id: string): Promise<Readable> {
    const { reader } = await this.result(id);
    return reader.csv(id);
  }

  async resultBytes(id: string): Promise<number> {
    const { reader } = await this.result(id);
    return reader.bytes(id);
  }

  /** Refuses new starts at once, then lets the driver stop its work, then releases the parser. */
  close(): Promise<void> {
    this.closed = true;
    this.closing ??= this.driver.close().finally(() => this.parser.close());
    return this.closing;
  }

  /**
   * Guards the statement (SqlRejected/SqlInvalid before anything runs). Trino drivers check Trino's tree,
   * the one Athena builds; DuckDB drivers use Trino's parser only to tell Athena-only SQL from a syntax error.
   */
  private guard(sql: string): Promise<GuardedStatement> {
    return guardStatement(sql, this.parser, { dialect: this.driver.dialect.guard, trino: this.trino });
  }

  private submission(guarded: GuardedStatement, query: StartQuery): Submission<S> {
    const { dialect } = this.driver;
    return {
      guarded,
      query,
      render: (source: S) => renderWith(guarded, query.window, dialect, source),
      assertOpen: () => {
        if (this.closed) throw new EngineClosed();
      },
      isClosed: () => this.closed,
    };
  }

  /** The reader and metadata of a SUCCEEDED execution; ResultNotReady otherwise. */
  private async result(id: string) {
    const current = await this.driver.status(id);
    if (current.state !== 'SUCCEEDED') throw new ResultNotReady(id, current.state);
    const location = await this.driver.results(id);
    return { reader: this.readers.readerFor(location.key, location.source), metadata: location.metadata };
  }
}
