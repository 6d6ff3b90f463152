import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPAT_FUNCTIONS, DUCKDB_COMPAT_MACROS } from '@access-monitor/sql';

let db: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:');
  connection = await db.connect();
  // As the engine configures its connections.
  await connection.run("SET TimeZone = 'UTC'");
  await connection.run('SET integer_division = true');
  for (const macro of DUCKDB_COMPAT_MACROS) await connection.run(macro);
});

afterAll(() => {
  connection.closeSync();
  db.closeSync();
});

/** The single value of a one-row, one-column query, as JSON (timestamps as text). */
async function value(sql: string): Promise<unknown> {
  const reader = await connection.runAndReadAll(`SELECT ${sql}`);
  return reader.getRowsJson()[0]![0];
}

// Each case: Trino SQL, and the value Trino (Athena engine v3) returns for it.
describe('Trino functions on DuckDB return what Trino returns', () => {
  it.each([
    // cardinality
    ["cardinality(ARRAY['a', 'b'])", '2'],
    ['cardinality(CAST(NULL AS varchar[]))', null],
    ["cardinality(MAP(ARRAY['env'], ARRAY['prod']))", '1'],
    ['cardinality(ARRAY[])', '0'],
    // from_iso8601_timestamp → timestamp(3) with time zone UTC in Trino
    ["from_iso8601_timestamp('2021-05-21T22:23:55.313562027Z')", '2021-05-21 22:23:55.313'],
    ["from_iso8601_timestamp('2022-10-21T22:36:27.314409Z')", '2022-10-21 22:36:27.314'],
    ["from_iso8601_timestamp('2019-04-22T19:39:26.676Z')", '2019-04-22 19:39:26.676'],
    ["from_iso8601_timestamp('2020-06-05T16:24:05Z')", '2020-06-05 16:24:05'],
    ["from_iso8601_timestamp('2020-06-05T16:24:05.1Z')", '2020-06-05 16:24:05.1'],
    ["from_iso8601_timestamp('2021-05-21T22:23:55.313+02:00')", '2021-05-21 20:23:55.313'],
    ["from_iso8601_timestamp('2021-05-21T01:00:00-05:30')", '2021-05-21 06:30:00'],
    ["from_iso8601_timestamp('2021-05-21')", '2021-05-21 00:00:00'],
    ['from_iso8601_timestamp(NULL)', null],
    ["from_iso8601_date('2024-02-29')", '2024-02-29'],
    // epoch conversions
    ["to_unixtime(from_iso8601_timestamp('1970-01-01T00:00:01.5Z'))", 1.5],
    ["to_unixtime(TIMESTAMP '2024-01-01 00:00:00')", 1704067200],
    ['from_unixtime(1704067200)', '2024-01-01 00:00:00'],
    ['from_unixtime(1.5)', '1970-01-01 00:00:01.5'],
    ["to_iso8601(TIMESTAMP '2024-01-02 03:04:05')", '2024-01-02T03:04:05.000'],
    ["to_iso8601(DATE '2024-01-02')", '2024-01-02'],
    // date_diff counts whole units elapsed in Trino (DuckDB's own counts boundaries crossed)
    ["date_diff('day', TIMESTAMP '2024-01-01 23:00:00', TIMESTAMP '2024-01-02 01:00:00')", '0'],
    ["date_diff('hour', TIMESTAMP '2024-01-01 23:00:00', TIMESTAMP '2024-01-02 01:00:00')", '2'],
    ["date_diff('day', TIMESTAMP '2024-01-01 10:00:00', TIMESTAMP '2024-01-03 09:59:59')", '1'],
    ["date_diff('day', DATE '2024-01-01', DATE '2024-01-03')", '2'],
    ["date_diff('second', from_iso8601_timestamp('2024-01-01T00:00:00Z'), from_iso8601_timestamp('2024-01-01T00:01:30.9Z'))", '90'],
    ["date_diff('month', DATE '2024-01-15', DATE '2024-03-14')", '1'],
    ["date_diff('day', TIMESTAMP '2024-01-03 00:00:00', TIMESTAMP '2024-01-01 12:00:00')", '-1'],
    // date_add(unit, n, x)
    ["date_add('day', 1, TIMESTAMP '2024-01-31 10:00:00')", '2024-02-01 10:00:00'],
    ["date_add('hour', -2, TIMESTAMP '2024-01-01 01:00:00')", '2023-12-31 23:00:00'],
    ["date_add('month', 1, DATE '2024-01-31')", '2024-02-29'],
    ["date_add('week', 1, DATE '2024-01-01')", '2024-01-08'],
    ["date_add('second', 90, TIMESTAMP '2024-01-01 00:00:00')", '2024-01-01 00:01:30'],
    ["date_add(DATE '2024-01-01', INTERVAL 1 DAY)", '2024-01-02 00:00:00'],
    // ISO day of week: 1 = Monday … 7 = Sunday
    ["day_of_week(DATE '2024-01-07')", '7'],
    ["dow(TIMESTAMP '2024-01-01 12:00:00')", '1'],
    ["day_of_month(DATE '2024-02-29')", '29'],
    ["day_of_year(DATE '2024-12-31')", '366'],
    ["week_of_year(DATE '2021-01-03')", '53'],
    ["year_of_week(DATE '2021-01-03')", '2020'],
    // date_format / date_parse with MySQL specifiers
    ["date_format(TIMESTAMP '2024-01-02 03:04:05', '%Y-%m-%d %H:%i:%s')", '2024-01-02 03:04:05'],
    ["date_format(TIMESTAMP '2024-01-02 15:04:05', '%M %e, %l %p')", 'January 2, 3 PM'],
    ["date_format(TIMESTAMP '2024-01-02 15:04:05', '%W %T')", 'Tuesday 15:04:05'],
    ["date_parse('2024-01-02 03:04:05', '%Y-%m-%d %H:%i:%s')", '2024-01-02 03:04:05'],
    ["date_parse('2024-01-02T03:04:05Z', '%Y-%m-%dT%H:%i:%sZ')", '2024-01-02 03:04:05'],
    ["date_parse('02/01/2024', '%d/%m/%Y')", '2024-01-02 00:00:00'],
    // regular expressions
    ["regexp_like('ssh-session', 'sess')", true],
    ["regexp_like('abc', '^b')", false],
    ["regexp_extract('user=alice id=7', 'user=(\\w+)', 1)", 'alice'],
    ["regexp_extract('user=alice', '[0-9]+')", null],
    ["regexp_extract('id 42', '[0-9]+')", '42'],
    // JSON with Trino paths
    [`json_extract_scalar('{"addr.remote":"1.2.3.4:5"}', '$["addr.remote"]')`, '1.2.3.4:5'],
    [`json_extract_scalar('{"identity":{"expires":"2024-01-01T00:00:00Z"}}', '$.identity.expires')`, '2024-01-01T00:00:00Z'],
    [`json_extract_scalar('{"identity":{"expires":"x"}}', '$["identity"]["expires"]')`, 'x'],
    [`json_extract_scalar('{"a":{"b":1}}', '$.a')`, null],
    [`json_extract_scalar('{"a":[1]}', '$.a')`, null],
    [`json_extract_scalar('{"a":null}', '$.a')`, null],
    [`json_extract_scalar('{"n":5}', '$.n')`, '5'],
    [`json_extract_scalar('{"ok":true}', '$.ok')`, 'true'],
    [`json_extract_scalar('{"a":["x","y"]}', '$.a[1]')`, 'y'],
    [`json_format(json_extract('{"a":{"b":[1,2]}}', '$["a"]["b"]'))`, '[1,2]'],
    [`json_format(json_parse('{"a": 1}'))`, '{"a":1}'],
    [`json_array_length(json_parse('[1,2,3]'))`, '3'],
    // arrays and maps
    ["array_join(ARRAY['a', NULL, 'b'], ',')", 'a,b'],
    ["array_join(ARRAY['a', NULL, 'b'], ',', 'x')", 'a,x,b'],
    ["array_join(ARRAY[1, 2], '-')", '1-2'],
    ["contains(ARRAY['system:masters', 'dev'], 'system:masters')", true],
    ["contains(ARRAY['dev'], 'system:masters')", false],
    ["element_at(MAP(ARRAY['env'], ARRAY['prod']), 'env')", 'prod'],
    ["element_at(MAP(ARRAY['env'], ARRAY['prod']), 'team')", null],
    ['element_at(ARRAY[1, 2, 3], -1)', 3],
    ["split('a,b,c', ',')", ['a', 'b', 'c']],
    ["levenshtein_distance('kitten', 'sitting')", '3'],
  ])('%s = %j', async (sql, expected) => {
    expect(await value(sql)).toEqual(expected);
  });
});

describe('date_parse', () => {
  it('refuses a format it cannot translate, naming the supported ones', async () => {
    await expect(value("date_parse('2024', '%x')")).rejects.toThrow(/date_parse: unsupported format %x; supported: %Y-%m-%d, /);
  });
});

describe('Trino aggregates on DuckDB', () => {
  const over = (aggregate: string) => value(`${aggregate} FROM (VALUES ('a', 1, true), ('b', 2, true), ('a', 3, false), (NULL, 4, true)) AS t(u, n, b)`);

  it('approx_distinct counts distinct non-NULL values, as Trino does exactly for small sets', async () => {
    expect(await over('approx_distinct(u)')).toBe('2');
    expect(await over('approx_distinct(u, 0.01)')).toBe('2');
  });

  it('approx_percentile returns one of the values', async () => {
    expect(await over('approx_percentile(n, 0.5)')).toBe(2);
  });

  it('every is true only when all values are', async () => {
    expect(await over('every(b)')).toBe(false);
  });

  it('count_if and arbitrary exist natively', async () => {
    expect(await over('count_if(b)')).toBe('3');
    expect(await over('arbitrary(n) IS NOT NULL')).toBe(true);
  });
});

describe('integer division, as the engine sets it', () => {
  it('divides integers like Trino', async () => {
    expect(await value('7 / 2')).toBe(3);
  });
});

describe('the compatibility catalog', () => {
  it('lists every user-facing macro with a signature and description', () => {
    const names = COMPAT_FUNCTIONS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['cardinality', 'from_iso8601_timestamp', 'to_unixtime', 'regexp_like', 'approx_distinct', 'json_extract_scalar', 'date_diff', 'day_of_week', 'date_add', 'from_unixtime', 'array_join']) {
      expect(names).toContain(name);
    }
    for (const f of COMPAT_FUNCTIONS) {
      expect(f.signature.startsWith(`${f.name}(`)).toBe(true);
      expect(f.description.length).toBeGreaterThan(10);
    }
  });

  it('creates every macro again without error (the engine may restart on the same database)', async () => {
    for (const macro of DUCKDB_COMPAT_MACROS) await connection.run(macro);
    expect(await value("cardinality(ARRAY['a'])")).toBe('1');
  });
});
