import type { DateWindow } from '@access-monitor/contracts';

/** The parse tree the guard checks: DuckDB's, or Trino's (the one Athena builds). */
export type Dialect = 'duckdb' | 'trino';

/** DuckDB's `json_serialize_sql()` output, as parsed JSON. */
export type SerializedSql =
  | { error: false; statements: Array<{ node: unknown }> }
  | { error: true; error_type: string; error_message: string; position?: string };

export interface SqlParser {
  serialize(sql: string): Promise<SerializedSql>;
}

/** Trino's parse of a statement: `@polyglot-sql/sdk`'s syntax tree (one entry per statement), or where it fails. */
export type TrinoParse = { ok: true; statements: unknown[] } | { ok: false; message: string; /** Code point offset of the error in the parsed text. */ offset?: number };

/** Trino's parser (Athena's dialect), injected like DuckDB's: '@access-monitor/sql/trino-parser'. */
export interface TrinoSqlParser {
  parse(sql: string): Promise<TrinoParse>;
}

/** A statement that passed the guard: the user's text unchanged plus what we learned from its AST. */
export interface GuardedStatement {
  sql: string;
  explain: boolean;
  /** Views (including `audit_events`) the statement reads, not shadowed by its own CTEs. */
  views: string[];
  /**
   * Athena's name for each output column of the outermost SELECT: `_colN` for unaliased
   * expressions, null to keep the engine's name. null when it cannot be known (`SELECT *`, EXPLAIN).
   */
  columnNames: Array<string | null> | null;
}

/** The embedded engine's source: the Parquet files of the window, already pruned by folder date, and what the typed store covers. */
export interface DuckDbSource {
  files: string[];
  typed?: TypedCoverage;
}

/** Athena's source: the Glue table, "audit_db.audit_table". */
export interface TrinoSource {
  table: string;
}

/** Where `audit_events` comes from for one execution, for the built-in dialects (`renderExecutable`). */
export type AuditSource = ({ dialect: 'duckdb' } & DuckDbSource) | ({ dialect: 'trino' } & TrinoSource);

/**
 * How one SQL dialect writes the views over its source of `audit_events`, as CTEs restricted to a window. A
 * dialect is an object the renderer takes (`renderWith`) and an engine's driver holds, not a branch: an engine
 * speaking a new dialect brings its own object, with its own source type.
 */
export interface SqlDialect<S> {
  readonly name: string;
  /** The parse tree the guard checks for statements in this dialect. */
  readonly guard: Dialect;
  auditEvents(window: DateWindow, source: S): string;
  view(view: ViewDefinition, window: DateWindow, source: S): string;
}

/**
 * What the embedded engine's typed event store covers of a window: per view, typed Parquet files that hold
 * exactly the view's columns (built with the same expressions as the JSON path), and the window's source files
 * it does not cover yet, which the views still read by JSON extraction. `audit_events` always reads every file.
 */
export interface TypedCoverage {
  views: Readonly<Record<string, readonly string[]>>;
  jsonFiles: readonly string[];
}

/** Teleport's view column types, in Athena's spelling. */
export type ColumnType =
  | 'varchar'
  | 'integer'
  | 'bigint'
  | 'double'
  | 'boolean'
  | 'array(varchar)'
  | 'map(varchar,varchar)'
  | { row: Array<{ name: string; type: 'varchar' | 'integer' | 'boolean' }>; array: true };

export interface FieldDefinition {
  /** JSON path segments in event_data: ['addr.remote'], ['identity', 'expires']. */
  path: string[];
  type: ColumnType;
  description?: string;
  /**
   * The value is a JSON object of arbitrary shape (google.protobuf.Struct: attributes, traits,
   * annotations). The column is varchar holding the JSON text: a map(varchar,varchar) cast fails in
   * Trino as soon as one value is a list (OIDC `groups`), which would fail the whole query.
   */
  json?: boolean;
}

export interface ViewDefinition {
  /** View name: event type with '.' → '_'. */
  name: string;
  eventType: string;
  description: string;
  fields: FieldDefinition[];
}

export type { DateWindow };
