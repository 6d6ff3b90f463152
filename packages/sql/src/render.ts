import type { DateWindow } from '@access-monitor/contracts';
import { explainPrefixLength, isKeyword, tokenize, type Token } from './lexer';
import type { AuditSource, ColumnType, DuckDbSource, FieldDefinition, GuardedStatement, SqlDialect, TrinoSource, ViewDefinition } from './types';
import { AUDIT_EVENTS, AUDIT_EVENTS_COLUMNS, columnName, columnTypeName, viewByName } from './views';
import { sqlString } from './sql-literals';

/** `renderWith` for the built-in dialects, the source naming its dialect (`{ dialect: 'duckdb', files }`). */
export function renderExecutable(stmt: GuardedStatement, window: DateWindow, source: AuditSource): string {
  const { dialect, ...rest } = source;
  return renderWith(stmt, window, BUILT_IN_DIALECTS[dialect] as SqlDialect<typeof rest>, rest);
}

/**
 * The statement to execute: the user's SQL unchanged, preceded by one CTE per view it reads, written by
 * `dialect` over `source` and restricted to the window. CTEs are merged into the statement's own WITH list
 * (never a wrapping subquery: Trino may drop an inner ORDER BY) and placed after EXPLAIN [ANALYZE].
 */
export function renderWith<S>(stmt: GuardedStatement, window: DateWindow, dialect: SqlDialect<S>, source: S): string {
  const start = checkedDate(window.start, 'start');
  const end = checkedDate(window.end, 'end');
  if (start > end) throw new RangeError(`window start ${start} is after its end ${end}`);

  const tokens = tokenize(stmt.sql);
  let last = tokens.length - 1;
  while (last >= 0 && tokens[last]!.kind === 'symbol' && tokens[last]!.text === ';') last--;
  if (last < 0) throw new RangeError('nothing to render: the statement is empty');
  // Trailing semicolons and comments go, so engines can wrap the result (COPY (…) TO …).
  const sql = stmt.sql.slice(0, tokens[last]!.end);
  if (stmt.views.length === 0) return sql;

  const ctes = stmt.views.map((name) => renderView(name, { start, end }, dialect, source)).join(',\n');
  const body = unparenthesized(tokens.slice(explainPrefixLength(tokens), last + 1));
  const first = body[0]!;
  if (isKeyword(first, 'WITH')) {
    const withEnd = isKeyword(body[1], 'RECURSIVE') ? body[1]!.end : first.end;
    return `${sql.slice(0, withEnd)}\n${ctes},${sql.slice(withEnd)}`;
  }
  return `${sql.slice(0, first.start)}WITH\n${ctes}\n${sql.slice(first.start)}`;
}

/**
 * The tokens inside the parentheses when the whole statement is one parenthesised query with its own
 * WITH: DuckDB cannot parse `WITH v AS (…) (WITH a AS (…) SELECT …)`, so the views join the inner
 * WITH list. Otherwise the statement itself: `WITH v AS (…) (SELECT …)` is valid in both dialects
 * (Trino allows no WITH inside parentheses).
 */
function unparenthesized(statement: Token[]): Token[] {
  let body = statement;
  while (body.length > 2 && isSymbol(body[0], '(') && isSymbol(body[body.length - 1], ')')) {
    let depth = 0;
    let closesAtEnd = true;
    for (let i = 0; i < body.length; i++) {
      if (isSymbol(body[i], '(')) depth++;
      else if (isSymbol(body[i], ')')) depth--;
      if (depth === 0 && i < body.length - 1) {
        closesAtEnd = false;
        break;
      }
    }
    if (!closesAtEnd) break;
    body = body.slice(1, -1);
  }
  return isKeyword(body[0], 'WITH') ? body : statement;
}

const isSymbol = (t: Token | undefined, text: string): boolean => t !== undefined && t.kind === 'symbol' && t.text === text;

function checkedDate(value: string, which: string): string {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw new RangeError(`window ${which} must be a calendar date as YYYY-MM-DD`);
  }
  return value;
}

export const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** JSON keys come from the catalog; anything outside this set would need path escaping. */
const SAFE_KEY = /^[A-Za-z0-9_.-]+$/;

export function checkedPath(field: FieldDefinition): string[] {
  for (const key of field.path) if (!SAFE_KEY.test(key)) throw new RangeError(`unsupported JSON key ${JSON.stringify(key)} in the view catalog`);
  return field.path;
}

function renderView<S>(name: string, window: DateWindow, dialect: SqlDialect<S>, source: S): string {
  if (name === AUDIT_EVENTS) return dialect.auditEvents(window, source);
  const view = viewByName(name);
  if (!view) throw new RangeError(`no view named ${name}`);
  return dialect.view(view, window, source);
}

// ---- Trino (Athena): exactly Teleport's form ----

function checkedTable(table: string): string {
  // Teleport's own rule for the athena:// host: database.table, each [a-zA-Z0-9_]+.
  if (!/^[A-Za-z0-9_]{1,255}\.[A-Za-z0-9_]{1,255}$/.test(table)) throw new RangeError(`audit table must be database.table; got ${JSON.stringify(table)}`);
  return table;
}

const trinoWindow = (w: DateWindow): string => `event_date BETWEEN date '${w.start}' AND date '${w.end}'`;

function trinoView(view: ViewDefinition, window: DateWindow, table: string): string {
  const columns = ['event_date', 'event_time', ...view.fields.map((f) => `${trinoField(f)} AS ${columnName(f)}`)];
  return `${view.name} AS (SELECT ${columns.join(', ')} FROM ${checkedTable(table)} WHERE event_type = ${sqlString(view.eventType)} AND ${trinoWindow(window)})`;
}

function trinoField(field: FieldDefinition): string {
  const extract = `json_extract(event_data, '$${checkedPath(field).map((k) => `["${k}"]`).join('')}')`;
  // CAST(json AS varchar) fails on objects in Trino; json_format keeps a Struct as JSON text.
  if (field.json) return `json_format(${extract})`;
  return `CAST(${extract} AS ${columnTypeName(field.type)})`;
}

function trinoAuditEvents(window: DateWindow, table: string): string {
  return `${AUDIT_EVENTS} AS (SELECT * FROM ${checkedTable(table)} WHERE ${trinoWindow(window)})`;
}

// ---- DuckDB: the same views over the window's Parquet files ----

const duckdbWindow = (w: DateWindow): string => `CAST(event_time AS DATE) BETWEEN DATE '${w.start}' AND DATE '${w.end}'`;

function readParquet(files: string[]): string {
  // binary_as_string: writers that leave strings without the UTF8 annotation still read as VARCHAR.
  return `read_parquet([${files.map(sqlString).join(', ')}], binary_as_string = true)`;
}

export function duckdbType(type: ColumnType): string {
  if (typeof type !== 'string') return `STRUCT(${type.row.map((f) => `${quoteIdentifier(f.name)} ${duckdbType(f.type)}`).join(', ')})[]`;
  switch (type) {
    case 'varchar':
      return 'VARCHAR';
    case 'integer':
      return 'INTEGER';
    case 'bigint':
      return 'BIGINT';
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'array(varchar)':
      return 'VARCHAR[]';
    case 'map(varchar,varchar)':
      return 'MAP(VARCHAR, VARCHAR)';
  }
}

function duckdbField(field: FieldDefinition): string {
  return duckdbFieldAt(field, 'event_data', checkedPath(field));
}

/** DuckDB's JSON path to `keys` (checked catalog keys): `'$."a"."b"'`. */
const duckdbJsonPath = (keys: readonly string[]): string => sqlString(`$${keys.map((k) => `."${k}"`).join('')}`);

/** The JSON path's expression for `field`, read at `keys` inside `document` (the event's JSON, or a fragment of it). */
export function duckdbFieldAt(field: FieldDefinition, document: string, keys: readonly string[]): string {
  const path = duckdbJsonPath(keys);
  // json_extract_string, not CAST(json_extract(…) AS VARCHAR), which keeps the JSON quotes.
  if (field.type === 'varchar' && !field.json) return `json_extract_string(${document}, ${path})`;
  if (field.json) return `CAST(json_extract(${document}, ${path}) AS VARCHAR)`;
  // TRY_CAST: one malformed event reads as NULL instead of failing the whole query.
  return `TRY_CAST(json_extract(${document}, ${path}) AS ${duckdbType(field.type)})`;
}

/** The column of typed event-store files naming the source date folder of each row. */
export const TYPED_SOURCE_DATE = '_am_source_date';

/**
 * A view's rows from a relation holding audit rows (`event_time`, `event_type`, `event_data`): the JSON path
 * runs it over the window's source files, and the typed event store runs the very same text to build its
 * files, so both paths give identical values by construction.
 */
export function duckdbViewSelect(view: ViewDefinition, relation: string, extraColumns: readonly string[] = []): string {
  const columns = [...extraColumns, `CAST(event_time AS DATE) AS event_date`, `CAST(event_time AS TIMESTAMP) AS event_time`, ...view.fields.map((f) => `${duckdbField(f)} AS ${quoteIdentifier(columnName(f))}`)];
  return `SELECT ${columns.join(', ')} FROM ${relation} WHERE event_type = ${sqlString(view.eventType)}`;
}

function duckdbView(view: ViewDefinition, window: DateWindow, source: DuckDbSource): string {
  const typedFiles = source.typed?.views[view.name] ?? [];
  const jsonFiles = source.typed ? source.typed.jsonFiles : source.files;
  const parts: string[] = [];
  if (typedFiles.length > 0) {
    // Typed files hold the view's columns plus the date folder each row came from: the JSON path reads the
    // window's folders and keeps the window's event dates, so the typed path filters on both.
    const names = ['event_date', 'event_time', ...view.fields.map((f) => quoteIdentifier(columnName(f)))];
    parts.push(
      `SELECT ${names.join(', ')} FROM ${readParquet([...typedFiles])} WHERE ${TYPED_SOURCE_DATE} BETWEEN DATE '${window.start}' AND DATE '${window.end}' AND event_date BETWEEN DATE '${window.start}' AND DATE '${window.end}'`,
    );
  }
  if (jsonFiles.length > 0) parts.push(`${duckdbViewSelect(view, readParquet([...jsonFiles]))} AND ${duckdbWindow(window)}`);
  if (parts.length === 0) {
    const nulls = [`CAST(NULL AS DATE) AS event_date`, `CAST(NULL AS TIMESTAMP) AS event_time`, ...view.fields.map((f) => `CAST(NULL AS ${duckdbType(f.type)}) AS ${quoteIdentifier(columnName(f))}`)];
    return `${view.name} AS NOT MATERIALIZED (SELECT ${nulls.join(', ')} WHERE false)`;
  }
  return `${view.name} AS NOT MATERIALIZED (${parts.join(' UNION ALL ')})`;
}

function duckdbAuditEvents(window: DateWindow, files: string[]): string {
  const types: Record<string, string> = { varchar: 'VARCHAR', timestamp: 'TIMESTAMP', date: 'DATE' };
  if (files.length === 0) {
    const nulls = AUDIT_EVENTS_COLUMNS.map((c) => `CAST(NULL AS ${types[c.type]}) AS ${quoteIdentifier(c.name)}`);
    return `${AUDIT_EVENTS} AS NOT MATERIALIZED (SELECT ${nulls.join(', ')} WHERE false)`;
  }
  const columns = AUDIT_EVENTS_COLUMNS.map((c) =>
    c.name === 'event_time' ? 'CAST(event_time AS TIMESTAMP) AS event_time' : c.name === 'event_date' ? 'CAST(event_time AS DATE) AS event_date' : quoteIdentifier(c.name),
  );
  return `${AUDIT_EVENTS} AS NOT MATERIALIZED (SELECT ${columns.join(', ')} FROM ${readParquet(files)} WHERE ${duckdbWindow(window)})`;
}

/** Athena: exactly Teleport's form, over the Glue table. */
export const TRINO_DIALECT: SqlDialect<TrinoSource> = {
  name: 'trino',
  guard: 'trino',
  auditEvents: (window, source) => trinoAuditEvents(window, source.table),
  view: (view, window, source) => trinoView(view, window, source.table),
};

/** Embedded: the same views over the window's Parquet files (and the typed store's files where it covers them). */
export const DUCKDB_DIALECT: SqlDialect<DuckDbSource> = {
  name: 'duckdb',
  guard: 'duckdb',
  auditEvents: (window, source) => duckdbAuditEvents(window, source.files),
  view: (view, window, source) => duckdbView(view, window, source),
};

const BUILT_IN_DIALECTS: { [D in AuditSource['dialect']]: SqlDialect<Omit<Extract<AuditSource, { dialect: D }>, 'dialect'>> } = { trino: TRINO_DIALECT, duckdb: DUCKDB_DIALECT };
