/**
 * Trino (Athena) functions the embedded DuckDB engine lacks or defines differently, as DuckDB macros.
 * The engine runs DUCKDB_COMPAT_MACROS once at start (and sets TimeZone='UTC', integer_division=true),
 * so SQL written for Athena runs unchanged. A macro may shadow a DuckDB built-in of the same name;
 * it then calls the built-in as `system.main.<name>`.
 */
export interface CompatFunction {
  name: string;
  /** Trino signature, as shown in the schema panel and autocomplete. */
  signature: string;
  description: string;
  /** The `CREATE OR REPLACE MACRO` statement. */
  macro: string;
}

// Trino JSON paths may use brackets for keys with dots (`$["addr.remote"]`); DuckDB wants `$."addr.remote"`.
const jsonPath = (p: string): string => String.raw`am_trino_json_path(${p})`;

/** Helpers the compatibility macros call; not Trino functions, so not listed for users. */
const HELPER_MACROS: readonly string[] = [
  // DuckDB reads a column reference `user` (even quoted) that binds to no column as current_user,
  // which is 'duckdb': a view without a user column (cert_create) would silently give that. Trino fails.
  `CREATE OR REPLACE MACRO current_user() AS error('column "user" not found: this relation has no user column (see the schema)')`,
  String.raw`CREATE OR REPLACE MACRO am_trino_json_path(p) AS regexp_replace(p, '\["([^"]*)"\]', '."\1"', 'g')`,
  // MySQL-style format specifiers (Trino date_format) → strftime. %M (month name) must go before %i → %M (minutes).
  String.raw`CREATE OR REPLACE MACRO am_trino_format(f) AS replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(f, '%M', '%B'), '%i', '%M'), '%h', '%I'), '%s', '%S'), '%T', '%H:%M:%S'), '%r', '%I:%M:%S %p'), '%W', '%A'), '%c', '%-m'), '%e', '%-d'), '%k', '%-H'), '%l', '%-I')`,
];

/**
 * DuckDB binds strptime's format when the macro is used and refuses a computed one, so date_parse
 * cannot translate a format at run time: it knows these Trino layouts and fails clearly on others.
 */
const DATE_PARSE_FORMATS: ReadonlyArray<readonly [string, string]> = [
  ['%Y-%m-%d', '%Y-%m-%d'],
  ['%Y%m%d', '%Y%m%d'],
  ['%Y/%m/%d', '%Y/%m/%d'],
  ['%d/%m/%Y', '%d/%m/%Y'],
  ['%m/%d/%Y', '%m/%d/%Y'],
  ['%Y-%m-%d %H', '%Y-%m-%d %H'],
  ['%Y-%m-%d %H:%i:%s', '%Y-%m-%d %H:%M:%S'],
  ['%Y-%m-%d %H:%i:%s.%f', '%Y-%m-%d %H:%M:%S.%f'],
  ['%Y-%m-%d %H:%i', '%Y-%m-%d %H:%M'],
  ['%Y-%m-%d %T', '%Y-%m-%d %H:%M:%S'],
  ['%Y-%m-%dT%H:%i:%s', '%Y-%m-%dT%H:%M:%S'],
  ['%Y-%m-%dT%H:%i:%sZ', '%Y-%m-%dT%H:%M:%SZ'],
  ['%Y-%m-%dT%H:%i:%s.%fZ', '%Y-%m-%dT%H:%M:%S.%fZ'],
  ['%Y-%m-%dT%T', '%Y-%m-%dT%H:%M:%S'],
  ['%Y/%m/%d %H:%i:%s', '%Y/%m/%d %H:%M:%S'],
  ['%d/%m/%Y %H:%i:%s', '%d/%m/%Y %H:%M:%S'],
  ['%m/%d/%Y %H:%i:%s', '%m/%d/%Y %H:%M:%S'],
  ['%Y%m%d%H%i%s', '%Y%m%d%H%M%S'],
];

export const COMPAT_MACROS: readonly CompatFunction[] = [
  {
    name: 'cardinality',
    signature: 'cardinality(x array|map) → bigint',
    description: 'Number of elements of an array or entries of a map; NULL for NULL',
    // DuckDB's own cardinality accepts maps only.
    macro: 'CREATE OR REPLACE MACRO cardinality(x) AS len(x), (x MAP(VARCHAR, VARCHAR)) AS system.main.cardinality(x)',
  },
  {
    name: 'from_iso8601_timestamp',
    signature: 'from_iso8601_timestamp(string) → timestamp',
    description: "Parses RFC 3339 / ISO 8601 text ('2021-05-21T22:23:55.313562027Z', offsets allowed) into a UTC timestamp with millisecond precision, like Trino",
    // DuckDB parses at most 6 fractional digits; Trino keeps milliseconds, so truncate to 3 first.
    macro: String.raw`CREATE OR REPLACE MACRO from_iso8601_timestamp(s) AS timezone('UTC', CAST(regexp_replace(s, '(\.[0-9]{3})[0-9]+', '\1') AS TIMESTAMPTZ))`,
  },
  {
    name: 'from_iso8601_date',
    signature: 'from_iso8601_date(string) → date',
    description: "Parses an ISO 8601 calendar date ('2024-01-31')",
    macro: 'CREATE OR REPLACE MACRO from_iso8601_date(s) AS CAST(s AS DATE)',
  },
  {
    name: 'to_iso8601',
    signature: 'to_iso8601(timestamp|date) → varchar',
    description: "ISO 8601 text of a timestamp ('2024-01-02T03:04:05.000') or date ('2024-01-02')",
    macro: "CREATE OR REPLACE MACRO to_iso8601(x) AS strftime(CAST(x AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%g'), (x DATE) AS strftime(x, '%Y-%m-%d')",
  },
  {
    name: 'to_unixtime',
    signature: 'to_unixtime(timestamp) → double',
    description: 'Seconds since 1970-01-01 00:00:00 UTC, with fractions',
    macro: 'CREATE OR REPLACE MACRO to_unixtime(ts) AS CAST(epoch_us(ts) AS DOUBLE) / 1000000',
  },
  {
    name: 'from_unixtime',
    signature: 'from_unixtime(double) → timestamp',
    description: 'UTC timestamp of a number of seconds since 1970-01-01 00:00:00 UTC',
    macro: 'CREATE OR REPLACE MACRO from_unixtime(x) AS make_timestamp(CAST(round(CAST(x AS DOUBLE) * 1000000) AS BIGINT))',
  },
  {
    name: 'date_diff',
    signature: 'date_diff(unit varchar, t1 timestamp|date, t2 timestamp|date) → bigint',
    description: "Whole units elapsed from t1 to t2 ('second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'), like Trino",
    // DuckDB's date_diff counts unit boundaries crossed (23:00 → 01:00 is 1 day); date_sub counts whole units, as Trino does.
    macro: 'CREATE OR REPLACE MACRO date_diff(unit, t1, t2) AS date_sub(unit, t1, t2)',
  },
  {
    name: 'date_add',
    signature: 'date_add(unit varchar, n bigint, x timestamp|date) → same type as x',
    description: "x plus n units ('millisecond', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year')",
    macro:
      'CREATE OR REPLACE MACRO date_add(d, i) AS system.main.date_add(d, i), ' +
      '(unit, n, x) AS CAST(x AS TIMESTAMP) + am_trino_interval(unit, n), ' +
      '(unit, n, x DATE) AS CAST(x + am_trino_interval(unit, n) AS DATE)',
  },
  {
    name: 'day_of_week',
    signature: 'day_of_week(timestamp|date) → bigint',
    description: 'ISO day of the week: 1 = Monday … 7 = Sunday',
    macro: 'CREATE OR REPLACE MACRO day_of_week(x) AS isodow(x)',
  },
  { name: 'dow', signature: 'dow(timestamp|date) → bigint', description: 'Alias of day_of_week: 1 = Monday … 7 = Sunday', macro: 'CREATE OR REPLACE MACRO dow(x) AS isodow(x)' },
  { name: 'day_of_month', signature: 'day_of_month(timestamp|date) → bigint', description: 'Day of the month, 1–31', macro: 'CREATE OR REPLACE MACRO day_of_month(x) AS dayofmonth(x)' },
  { name: 'day_of_year', signature: 'day_of_year(timestamp|date) → bigint', description: 'Day of the year, 1–366', macro: 'CREATE OR REPLACE MACRO day_of_year(x) AS dayofyear(x)' },
  { name: 'doy', signature: 'doy(timestamp|date) → bigint', description: 'Alias of day_of_year', macro: 'CREATE OR REPLACE MACRO doy(x) AS dayofyear(x)' },
  { name: 'week_of_year', signature: 'week_of_year(timestamp|date) → bigint', description: 'ISO week of the year, 1–53', macro: 'CREATE OR REPLACE MACRO week_of_year(x) AS week(x)' },
  { name: 'year_of_week', signature: 'year_of_week(timestamp|date) → bigint', description: 'ISO week-numbering year', macro: 'CREATE OR REPLACE MACRO year_of_week(x) AS isoyear(x)' },
  {
    name: 'date_format',
    signature: 'date_format(timestamp, format varchar) → varchar',
    description: "Formats with MySQL-style specifiers, like Trino: '%Y-%m-%d %H:%i:%s'",
    // No CAST of ts: DuckDB then binds strftime(format, timestamp) and wants a constant format when the macro is created.
    macro: 'CREATE OR REPLACE MACRO date_format(ts, f) AS strftime(ts, am_trino_format(f))',
  },
  {
    name: 'date_parse',
    signature: 'date_parse(string, format varchar) → timestamp',
    description:
      "Parses with MySQL-style specifiers, like Trino: date_parse('2024-01-02 03:04', '%Y-%m-%d %H:%i'). Use a literal format; " +
      `supported formats: ${DATE_PARSE_FORMATS.map(([trino]) => trino).join(', ')}`,
    macro:
      `CREATE OR REPLACE MACRO date_parse(s, f) AS CASE f ${DATE_PARSE_FORMATS.map(([trino, duckdb]) => `WHEN '${trino}' THEN strptime(s, '${duckdb}')`).join(' ')} ` +
      `ELSE error('date_parse: unsupported format ' || f || '; supported: ${DATE_PARSE_FORMATS.map(([trino]) => trino).join(', ')}') END`,
  },
  {
    name: 'regexp_like',
    signature: 'regexp_like(string, pattern) → boolean',
    description: 'True when the pattern matches anywhere in the string',
    macro: 'CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)',
  },
  {
    name: 'regexp_extract',
    signature: 'regexp_extract(string, pattern [, group]) → varchar',
    description: 'First match (or capturing group) of the pattern; NULL when it does not match, like Trino',
    // DuckDB returns '' for no match.
    macro:
      'CREATE OR REPLACE MACRO regexp_extract(s, p) AS CASE WHEN regexp_matches(s, p) THEN system.main.regexp_extract(s, p) END, ' +
      '(s, p, g) AS CASE WHEN regexp_matches(s, p) THEN system.main.regexp_extract(s, p, g) END',
  },
  {
    name: 'approx_distinct',
    signature: 'approx_distinct(x [, max_error]) → bigint',
    description: 'Number of distinct non-NULL values (computed exactly here)',
    macro: 'CREATE OR REPLACE MACRO approx_distinct(x) AS count(DISTINCT x), (x, e) AS count(DISTINCT x)',
  },
  {
    name: 'approx_percentile',
    signature: 'approx_percentile(x, percentage) → same type as x',
    description: 'Value at the given percentile (0–1) of x (computed exactly here, as one of the values)',
    macro: 'CREATE OR REPLACE MACRO approx_percentile(x, p) AS quantile_disc(x, p)',
  },
  {
    name: 'json_extract',
    signature: 'json_extract(json, json_path) → json',
    description: 'JSON value at a path; accepts Trino bracket paths like $["addr.remote"]',
    macro: `CREATE OR REPLACE MACRO json_extract(j, p) AS system.main.json_extract(j, ${jsonPath('p')})`,
  },
  {
    name: 'json_extract_scalar',
    signature: 'json_extract_scalar(json, json_path) → varchar',
    description: 'Scalar at a JSON path as text (NULL for objects and arrays); accepts $.a.b and $["addr.remote"]',
    macro:
      `CREATE OR REPLACE MACRO json_extract_scalar(j, p) AS CASE WHEN json_type(system.main.json_extract(j, ${jsonPath('p')})) IN ('OBJECT', 'ARRAY') ` +
      `THEN NULL ELSE json_extract_string(j, ${jsonPath('p')}) END`,
  },
  { name: 'json_parse', signature: 'json_parse(string) → json', description: 'Parses JSON text', macro: 'CREATE OR REPLACE MACRO json_parse(s) AS json(s)' },
  { name: 'json_format', signature: 'json_format(json) → varchar', description: 'JSON text of a JSON value', macro: 'CREATE OR REPLACE MACRO json_format(j) AS CAST(j AS VARCHAR)' },
  {
    name: 'array_join',
    signature: 'array_join(array, delimiter [, null_replacement]) → varchar',
    description: 'Joins the elements with the delimiter; NULLs are skipped unless a replacement is given',
    macro:
      'CREATE OR REPLACE MACRO array_join(a, d) AS array_to_string(a, d), ' +
      '(a, d, r) AS array_to_string(list_transform(a, lambda e: coalesce(CAST(e AS VARCHAR), r)), d)',
  },
  {
    name: 'element_at',
    signature: 'element_at(array|map, index|key) → element',
    description: 'Element at a 1-based index (negative counts from the end) or the value of a map key; NULL when absent',
    // DuckDB's element_at on maps returns a one-element list.
    macro: 'CREATE OR REPLACE MACRO element_at(x, k) AS x[k]',
  },
  {
    name: 'levenshtein_distance',
    signature: 'levenshtein_distance(string, string) → bigint',
    description: 'Edit distance between two strings',
    macro: 'CREATE OR REPLACE MACRO levenshtein_distance(a, b) AS levenshtein(a, b)',
  },
  { name: 'every', signature: 'every(boolean) → boolean', description: 'True when every value is true', macro: 'CREATE OR REPLACE MACRO every(x) AS bool_and(x)' },
];

/** Interval of n units, for date_add. */
const INTERVAL_HELPER =
  'CREATE OR REPLACE MACRO am_trino_interval(unit, n) AS CASE lower(unit) ' +
  "WHEN 'millisecond' THEN to_milliseconds(CAST(n AS DOUBLE)) WHEN 'second' THEN to_seconds(CAST(n AS DOUBLE)) " +
  "WHEN 'minute' THEN to_minutes(CAST(n AS BIGINT)) WHEN 'hour' THEN to_hours(CAST(n AS BIGINT)) " +
  "WHEN 'day' THEN to_days(CAST(n AS INTEGER)) WHEN 'week' THEN to_weeks(CAST(n AS INTEGER)) " +
  "WHEN 'month' THEN to_months(CAST(n AS INTEGER)) WHEN 'quarter' THEN to_months(CAST(3 * n AS INTEGER)) " +
  "WHEN 'year' THEN to_years(CAST(n AS INTEGER)) END";

/** Statements the DuckDB engine runs once at start, in order. */
export const DUCKDB_COMPAT_MACROS: readonly string[] = [...HELPER_MACROS, INTERVAL_HELPER, ...COMPAT_MACROS.map((f) => f.macro)];

/** Trino functions the compatibility layer provides, for the schema and autocomplete. */
export const COMPAT_FUNCTIONS: ReadonlyArray<{ name: string; signature: string; description: string }> = COMPAT_MACROS.map(({ name, signature, description }) => ({
  name,
  signature,
  description,
}));
