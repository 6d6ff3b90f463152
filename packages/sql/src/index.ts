// Public API of the SQL layer. Pure: no files, network, clock or native engine. The parser is injected
// (DuckDB's own, from '@access-monitor/engine/duckdb-parser'), so the guard never edits SQL text by regex.
export type { Dialect, SqlDialect, DuckDbSource, TrinoSource, SqlParser, SerializedSql, GuardedStatement, AuditSource, TypedCoverage, ColumnType, FieldDefinition, ViewDefinition, TrinoParse, TrinoSqlParser } from './types';
export { SqlRejected, SqlInvalid } from './errors';
export { sqlInteger, sqlString, sqlStringList } from './sql-literals';
export { guardStatement, type GuardOptions } from './guard';
export { DUCKDB_DIALECT, duckdbViewSelect, renderExecutable, renderWith, TRINO_DIALECT, TYPED_SOURCE_DATE } from './render';
export { duckdbViewBuildSelect } from './typed-build';
export { recoverRenderedStatement, type RenderedStatement } from './recover';
export { duckdbErrorPosition, trinoErrorPosition, userIndexOfExecuted } from './error-position';
export { findLexicalHazard } from './lexer';
export { VIEWS, viewNameForEventType, auditSchema } from './views';
export { AUDIT_EVENTS, AUDIT_EVENTS_COLUMNS, columnName, columnTypeName, viewByName } from './views';
export { DUCKDB_COMPAT_MACROS, COMPAT_FUNCTIONS } from './compat';
