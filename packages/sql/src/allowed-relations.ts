import { AUDIT_EVENTS, VIEWS } from './views';

// What a statement may read and call, on either parse tree (DuckDB's and Trino's).

export const ALLOWED = 'only SELECT, WITH … SELECT and EXPLAIN';

/** Relations a statement may read, besides the CTEs it declares itself. */
export const READABLE = new Set<string>([AUDIT_EVENTS, ...VIEWS.map((v) => v.name)]);

/** Scalar functions that run SQL text, read files or reveal the engine's configuration or environment. */
const FORBIDDEN_FUNCTIONS = new Set([
  'query',
  'query_table',
  'getenv',
  'current_setting',
  'getvariable',
  'sniff_csv',
  'glob',
  'json_execute_serialized_sql',
  'json_deserialize_sql',
  'json_serialize_sql',
  'json_serialize_plan',
  'nextval',
  'currval',
  'setseed',
  'from_substrait',
  'get_substrait',
  'get_substrait_json',
  'checkpoint',
  'force_checkpoint',
  'enable_logging',
  'disable_logging',
  // The text of the running query would reveal the rendered file paths.
  'current_query',
  'current_database',
  'current_catalog',
  'current_schema',
  'current_schemas',
]);
const FORBIDDEN_FUNCTION_PREFIXES = ['duckdb_', 'pragma_', 'parquet_', 'read_', 'sniff_', 'iceberg_', 'delta_', 'sqlite_', 'postgres_', 'mysql_', 'icu_', 'which_secret'];

export function isForbiddenFunction(name: string): boolean {
  const n = name.toLowerCase();
  return FORBIDDEN_FUNCTIONS.has(n) || FORBIDDEN_FUNCTION_PREFIXES.some((p) => n.startsWith(p));
}

export function availableViews(name: string): string {
  const names = [AUDIT_EVENTS, ...[...READABLE].filter((v) => v !== AUDIT_EVENTS).sort()];
  const near = names.filter((v) => editDistance(v, name.toLowerCase()) <= 2);
  const hint = near.length > 0 ? `did you mean ${near.join(' or ')}? ` : '';
  return `${hint}available views are ${names.join(', ')}`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
