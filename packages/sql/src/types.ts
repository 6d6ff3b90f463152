import type { DateWindow } from '@access-monitor/contracts';

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

/** Where `audit_events` comes from for one execution. */
export type AuditSource =
  | { dialect: 'duckdb'; files: string[]; typed?: TypedCoverage } // Parquet files of the window, already pruned by folder date
  | { dialect: 'trino'; table: string }; // "audit_db.audit_table"

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
