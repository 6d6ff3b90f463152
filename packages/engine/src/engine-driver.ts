import type { DateWindow } from '@access-monitor/contracts';
import type { GuardedStatement, SqlDialect } from '@access-monitor/sql';
import type { ExecutionStatus, StartQuery, TypedStoreControl } from './query-engine';
import type { ResultFileSource } from './results/result-file-source';
import type { ResultMetadata } from './results/result-reader';

/** A guarded statement handed to a driver, with the one way to render it in the driver's dialect. */
export interface Submission<S> {
  guarded: GuardedStatement;
  query: StartQuery;
  /** The statement to execute: the user's SQL with the views it reads as CTEs over `source`, for the window. */
  render(source: S): string;
  /** Throws EngineClosed once the engine closed: call it after the last await before the backend takes the work. */
  assertOpen(): void;
  /** True once the engine closed (for a driver that must undo what it did meanwhile). */
  isClosed(): boolean;
}

/** Where a SUCCEEDED execution's `<id>.csv` and its metadata are. */
export interface ResultLocation {
  /** Names the folder or prefix: executions under the same key share one ResultReader. */
  key: string;
  /** The files under `key`; called once per key. */
  source(): ResultFileSource;
  /** Columns and row count when the driver has them already (spares a read of the metadata file). */
  metadata?: ResultMetadata;
}

/**
 * The engine-specific calls of a query engine. `createQueryEngine(driver)` adds everything engines share:
 * refusing work once closed, one start per idempotency token, the guard for the driver's dialect, rendering,
 * SUCCEEDED-before-results and the result reader.
 */
export interface EngineDriver<S> {
  /** Reported as QueryEngine.name (metrics, execution records): 'duckdb', 'athena', … */
  readonly name: string;
  /** How statements are guarded and the views written for this engine (`DUCKDB_DIALECT`, `TRINO_DIALECT` or its own), over its source `S`. */
  readonly dialect: SqlDialect<S>;
  /** Starts a guarded statement in the backend; resolves with the execution id once `status(id)` finds it. */
  submit(submission: Submission<S>): Promise<string>;
  /** ExecutionNotFound for an id the driver never issued (malformed ones included). */
  status(id: string): Promise<ExecutionStatus>;
  /** Really stops the work; ExecutionNotFound for an unknown id, a no-op on a finished one. */
  cancel(id: string): Promise<void>;
  /** Where the result of `id` is; called only once `status(id)` said SUCCEEDED. */
  results(id: string): Promise<ResultLocation>;
  /** Stops the driver's work and releases its backend; called once, after the engine refuses new starts. */
  close(): Promise<void>;
  estimateBytes?(window: DateWindow): Promise<number>;
  waitForChange?(id: string, maxWaitMs: number): Promise<ExecutionStatus>;
  dataVersion?(window: DateWindow): Promise<string>;
  readonly typedStore?: TypedStoreControl | undefined;
}
