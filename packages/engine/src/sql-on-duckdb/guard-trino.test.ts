import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbSqlParser } from '../duckdb/duckdb-sql-parser';
import { SqlInvalid, SqlRejected, guardStatement, findLexicalHazard, type SqlParser } from '@access-monitor/sql';
import { createTrinoSqlParser } from '@access-monitor/sql/trino-parser';

// The guard on the Athena engine checks Trino's parse tree, the tree Athena builds; the embedded
// engine refuses what only Athena can run. The hostile side is checked on both trees.

let parser: SqlParser & { close(): void };
const trino = createTrinoSqlParser();
beforeAll(async () => {
  parser = await createDuckDbSqlParser();
});
afterAll(() => parser.close());

const onAthena = (sql: string) => guardStatement(sql, parser, { dialect: 'trino', trino });
const embedded = (sql: string) => guardStatement(sql, parser, { trino });

async function refusal(run: Promise<unknown>): Promise<SqlRejected | SqlInvalid> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error instanceof SqlRejected || error instanceof SqlInvalid, `expected a refusal, got ${String(error)}`).toBe(true);
  return error as SqlRejected | SqlInvalid;
}

const ATHENA_ONLY = `SELECT CAST(json_extract(event_data, '$.roles') AS array(varchar)) FROM cert_create`;

describe('the guard on the Athena engine reads Trino', () => {
  it.each([
    ['an array cast', ATHENA_ONLY, ['cert_create']],
    ['a lambda', `SELECT transform(CAST(json_extract(event_data, '$.roles') AS array(varchar)), r -> upper(r)) AS roles FROM cert_create`, ['cert_create']],
    ['AT TIME ZONE', `SELECT event_time AT TIME ZONE 'Europe/Paris' AS local_time FROM user_login`, ['user_login']],
    ['CROSS JOIN UNNEST over a Trino cast', `SELECT r, count(*) FROM cert_create CROSS JOIN UNNEST(CAST(json_extract(event_data, '$.roles') AS array(varchar))) AS t(r) GROUP BY r`, ['cert_create']],
    ['CTEs, set operations and EXPLAIN', `EXPLAIN WITH a AS (SELECT "user" FROM session_start) SELECT * FROM a UNION SELECT "user" FROM user_login`, ['session_start', 'user_login']],
  ])('accepts %s', async (_name, sql, views) => {
    const guarded = await onAthena(sql);
    expect(guarded.sql).toBe(sql);
    expect([...guarded.views].sort()).toEqual(views);
  });

  it("names unaliased expressions _colN from Trino's tree", async () => {
    expect((await onAthena(`SELECT "user", count(*), CAST(NULL AS array(varchar)) AS nothing FROM user_login GROUP BY "user"`)).columnNames).toEqual([null, '_col1', null]);
  });

  it('refuses on the embedded engine what only Athena can parse, saying so', async () => {
    const error = await refusal(embedded(ATHENA_ONLY));
    expect(error).toBeInstanceOf(SqlRejected);
    expect(error.message).toMatch(/^this statement is Athena-only: it is valid Trino \(Athena's dialect\), but the embedded DuckDB engine cannot parse it/);
    // Neither parser reads it: DuckDB's syntax error, not "Athena-only".
    expect(await refusal(embedded('SELECT FROM WHERE'))).toBeInstanceOf(SqlInvalid);
  });
});

describe("the guard refuses hostile SQL on Trino's tree", () => {
  it.each([
    // DuckDB cannot parse these (array casts): only Trino's tree stands between them and Athena.
    ['the raw table behind an array cast', `SELECT CAST(event_data AS array(varchar)) FROM audit_db.audit_table`, /^unknown table or view 'audit_db\.audit_table': views are not schema-qualified/],
    ['the catalog-qualified table', `SELECT CAST(x AS array(varchar)) FROM cert_create CROSS JOIN awsdatacatalog.audit_db.audit_table`, /^unknown table or view 'awsdatacatalog\.audit_db\.audit_table'/],
    ['the raw table in a scalar subquery', `SELECT CAST(x AS array(varchar)), (SELECT count(*) FROM "audit_db"."audit_table") FROM cert_create`, /^unknown table or view 'audit_db\.audit_table'/],
    ['the raw table in a CTE', `WITH a AS (SELECT CAST(x AS array(varchar)) AS y FROM audit_db.audit_table) SELECT * FROM a`, /^unknown table or view 'audit_db\.audit_table'/],
    ['a table function', `SELECT CAST(x AS array(varchar)) FROM TABLE(system.query(query => 'SELECT * FROM audit_db.audit_table'))`, /^table function table is not allowed/],
    ['a file reader', `SELECT CAST(x AS array(varchar)) FROM read_csv('/etc/passwd')`, /^table function read_csv is not allowed/],
    ['a forbidden function', `SELECT CAST(getenv('HOME') AS array(varchar)) FROM cert_create`, /^function getenv is not allowed/],
    ['an unknown relation', `SELECT CAST(x AS array(varchar)) FROM information_schema.tables`, /^unknown table or view 'information_schema\.tables'/],
    ['a CTE named like a view it reads', `WITH cert_create AS (SELECT CAST(x AS array(varchar)) AS y FROM cert_create) SELECT * FROM cert_create`, /^the CTE 'cert_create' has the name of a view it also reads/],
  ])('refuses %s on both engines', async (_name, sql, reason) => {
    for (const run of [onAthena(sql), embedded(sql)]) {
      const error = await refusal(run);
      expect(error).toBeInstanceOf(SqlRejected);
      expect(error.message).toMatch(reason);
    }
  });

  it.each([
    'DROP TABLE audit_events',
    "INSERT INTO x VALUES ('a')",
    'CREATE TABLE x AS SELECT * FROM session_start',
    "UNLOAD (SELECT * FROM session_start) TO 's3://bucket/x/' WITH (format = 'CSV')",
    'MSCK REPAIR TABLE audit_events',
    'SELECT 1; SELECT 2',
    'WITH a AS (SELECT 1) DELETE FROM x',
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM 'file.csv'",
    'SELECT * FROM main.session_start',
    'SELECT * FROM audit_db.audit_table',
    "SELECT current_setting('allowed_directories')",
    "SELECT * FROM session_start WHERE sid IN (SELECT x FROM read_csv('/etc/passwd'))",
    'DESCRIBE session_start',
    'SHOW TABLES',
  ])('refuses %s on the Athena engine', async (sql) => {
    await refusal(onAthena(sql));
  });
});

describe('text Trino would read differently from the guard is refused (from the attacker side)', () => {
  const attacks: Array<[string, string, RegExp]> = [
    // DuckDB nests block comments and sees `SELECT 1 AS ok`; Trino ends the comment at the first */ and reads the raw table.
    ['a nested block comment', `/* /* */ SELECT "user", event_data FROM audit_db.audit_table -- */ SELECT 1 AS ok`, /^a block comment opens inside the block comment/],
    // DuckDB's parser stops at NUL; Trino reads on, past the end of the -- comment.
    ['a NUL byte in a -- comment', `SELECT 1 AS ok -- \0\n, event_data FROM audit_db.audit_table`, /^the statement contains a NUL character/],
    ['a form feed between tokens', `SELECT 1 AS ok\fFROM user_login`, /control character U\+000C outside a string literal/],
    ['a vertical tab in a comment', `SELECT 1 AS ok /* \v */ FROM user_login`, /control character U\+000B/],
    ['an escape character', `SELECT 1 AS ok \x1b FROM user_login`, /control character U\+001B/],
  ];

  it.each(attacks)('refuses %s on the Athena engine, pointing at it', async (_name, sql, reason) => {
    const error = await refusal(onAthena(sql));
    expect(error).toBeInstanceOf(SqlRejected);
    expect(error.message).toMatch(reason);
    expect((error as SqlRejected).position?.offset).toBe(findLexicalHazard(sql)!.index);
  });

  it.each(attacks)('refuses %s on the embedded engine too', async (_name, sql, reason) => {
    expect((await refusal(embedded(sql))).message).toMatch(reason);
  });

  it('allows tabs, line breaks and control characters inside string literals, and one level of block comment', async () => {
    const sql = `SELECT\t'a\x01b' AS s, /* one /  * level */ "user"\r\nFROM user_login`;
    expect(findLexicalHazard(sql)).toBeUndefined();
    expect((await onAthena(sql)).views).toEqual(['user_login']);
  });
});
