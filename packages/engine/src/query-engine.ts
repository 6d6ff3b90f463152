import type { AuditSchema, ColumnInfo, DateWindow, ExecutionState, ResultsPage, SqlPosition } from '@access-monitor/contracts';
import type { Readable } from 'node:stream';
import type { TypedStoreProgress, TypedStoreStatus, TypedStoreSyncResult } from './duckdb/typed-store/typed-event-store';

export interface StartQuery {
  sql: string;
  window: DateWindow;
  /** Idempotency token: starting twice with the same token returns the same execution. */
  token: string;
  maxBytesScanned?: number;
  /** Past this much running time the engine stops the execution itself and fails it with QUERY_TIMEOUT. */
  timeoutMs?: number;
  /**
   * Embedded engine: read the views from the typed event store where it covers the window ('typed', the
   * default) or by JSON extraction from the source files only ('json', to compare). Other engines ignore it.
   */
  enginePath?: EnginePathChoice;
}

export type EnginePathChoice = 'typed' | 'json';

/** Which path the embedded engine took for the views a statement reads: days read from typed files, days read by JSON extraction. */
export interface EnginePath {
  typedDays: number;
  jsonDays: number;
}

export interface ExecutionRef {
  id: string;
}

export interface EngineErrorInfo {
  /** Stable machine code: 'ENGINE_FAILED', 'CANCELLED', 'INTERRUPTED_BY_RESTART', Athena's AthenaErrorCode, … */
  code: string;
  message: string;
  /** Where the error points in the SQL the user wrote, when the engine names a place (an unknown column, a type mismatch). */
  position?: SqlPosition;
}

export interface ExecutionStatus {
  id: string;
  state: ExecutionState;
  sql: string;
  window: DateWindow;
  submittedAt: string;
  startedAt?: string;
  finishedAt?: string;
  elapsedMs: number;
  /** Athena: DataScannedInBytes. DuckDB: total size of the window's Parquet files when the statement reads any view, else 0. */
  bytesScanned: number;
  rowCount?: number;
  columns?: ColumnInfo[];
  error?: EngineErrorInfo;
  /** Embedded engine, statements reading views: where the rows came from. */
  enginePath?: EnginePath;
}

/**
 * A query engine over the audit table. `start` guards the SQL first (throws SqlRejected/SqlInvalid
 * before anything runs), renders the views for the window and runs it in the background.
 * Results are written like Athena writes them: `<id>.csv` (header + RFC 4180 rows, every value quoted,
 * NULL as unquoted empty) plus metadata; `results` reads them back for both engines.
 */
export interface QueryEngine {
  /** The driver's name ('duckdb', 'athena', …): engines are open-ended, chosen by the audit_events_uri scheme. */
  readonly name: string;
  start(q: StartQuery): Promise<ExecutionRef>;
  status(id: string): Promise<ExecutionStatus>;
  /** Really stops the work; resolves once the engine has been told. No-op on a finished execution. */
  cancel(id: string): Promise<void>;
  schema(): Promise<AuditSchema>;
  /**
   * Optional: an upper bound of the bytes a statement reading the views would scan over `window`, from the
   * partitions it touches, before anything runs. Engines that cannot tell leave it out.
   */
  estimateBytes?(window: DateWindow): Promise<number>;
  /**
   * Optional: resolves as soon as the execution is finished, or after `maxWaitMs`, with its status then; lets
   * callers wait without polling (the embedded engine knows the moment a job ends).
   */
  waitForChange?(id: string, maxWaitMs: number): Promise<ExecutionStatus>;
  /** Optional: a fingerprint of the data a window reads, which changes when events arrive (to key caches by). */
  dataVersion?(window: DateWindow): Promise<string>;
  /** Pages of a SUCCEEDED execution's result (throws ResultNotReady otherwise). */
  page(id: string, offset: number, limit: number): Promise<ResultsPage>;
  /** The size of a SUCCEEDED execution's CSV in bytes, without reading it (throws ResultNotReady otherwise). */
  resultBytes(id: string): Promise<number>;
  /** The result as Athena's CSV, streamed from the file with backpressure. */
  csv(id: string): Promise<Readable>;
  close(): Promise<void>;
  /** Embedded engine with a typed event store: its build state, and a way to build what arrived. */
  typedStore?: TypedStoreControl;
}

export interface TypedStoreControl {
  status(): TypedStoreStatus;
  /** Builds what the source has and the store does not cover; resolves when done. */
  sync(onProgress?: (progress: TypedStoreProgress) => void): Promise<TypedStoreSyncResult>;
}
