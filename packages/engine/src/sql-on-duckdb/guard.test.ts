import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbSqlParser } from '../duckdb/duckdb-sql-parser';
import { SqlInvalid, SqlRejected, guardStatement, type SqlParser } from '@access-monitor/sql';

let parser: SqlParser & { close(): void };
beforeAll(async () => {
  parser = await createDuckDbSqlParser();
});
afterAll(() => parser.close());

const guard = (sql: string) => guardStatement(sql, parser);

async function rejection(sql: string): Promise<SqlRejected> {
  const error = await guard(sql).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${JSON.stringify(sql)} to be rejected`).toBeInstanceOf(SqlRejected);
  return error as SqlRejected;
}

describe('guardStatement accepts read-only queries over the views', () => {
  it.each([
    ['a plain SELECT', 'SELECT * FROM session_start'],
    ['a SELECT with a trailing semicolon and comment', 'SELECT 1 FROM session_start; -- done'],
    ['WITH … SELECT', 'WITH s AS (SELECT "user" FROM session_start) SELECT * FROM s'],
    ['WITH RECURSIVE', 'WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 3) SELECT * FROM t'],
    ['nested CTEs', 'WITH a AS (WITH b AS (SELECT * FROM user_login) SELECT * FROM b) SELECT * FROM a'],
    ['set operations', 'SELECT "user" FROM session_start UNION SELECT "user" FROM db_session_start INTERSECT SELECT "user" FROM user_login EXCEPT SELECT "user" FROM kube_request'],
    ['subqueries in FROM, WHERE and SELECT', 'SELECT (SELECT count(*) FROM user_login), x.u FROM (SELECT "user" AS u FROM session_start) x WHERE x.u IN (SELECT "user" FROM exec)'],
    ['joins', 'SELECT * FROM session_start s JOIN session_end e ON s.sid = e.sid LEFT JOIN user_login l USING ("user")'],
    ['a lateral join', 'SELECT * FROM session_start s, LATERAL (SELECT * FROM session_end e WHERE e.sid = s.sid) t'],
    ['window functions', 'SELECT "user", row_number() OVER (PARTITION BY "user" ORDER BY event_time) FROM session_start'],
    ['lambdas', 'SELECT list_transform(access_requests, x -> upper(x)) FROM session_start'],
    ['CROSS JOIN UNNEST', 'SELECT g, count(*) FROM kube_request CROSS JOIN UNNEST(kubernetes_groups) AS t(g) GROUP BY g'],
    ['VALUES', 'VALUES (1), (2)'],
    ['a parenthesised query', '(SELECT 1 FROM session_start)'],
    ['EXPLAIN', 'EXPLAIN SELECT * FROM session_start'],
    ['EXPLAIN ANALYZE', 'explain analyze SELECT * FROM session_start'],
    ['audit_events', 'SELECT event_type, count(*) FROM audit_events GROUP BY 1'],
    ['Trino-style SQL', "SELECT cardinality(access_requests), \"user\" FROM session_start WHERE event_date > current_date - interval '1' day"],
    ['bare user, as Teleport writes it', 'SELECT event_date, count(*) AS count, user FROM session_start GROUP BY event_date, user'],
    ['PIVOT in FROM', "SELECT * FROM session_start PIVOT (count(*) FOR proto IN ('ssh', 'kube'))"],
    ['safe scalar functions like make_timestamp', 'SELECT make_timestamp(2024, 1, 1, 0, 0, 0) FROM session_start'],
  ])('accepts %s', async (_name, sql) => {
    const stmt = await guard(sql);
    expect(stmt.sql).toBe(sql);
  });

  it('accepts the built-in report query shape', async () => {
    const sql = `SELECT event_date, count(*) AS count, user
FROM db_session_start
WHERE CARDINALITY(access_requests) IS NULL AND with_mfa IS NULL AND impersonator IS NULL AND trusted_device_device_id IS NULL
GROUP BY event_date, user
ORDER BY event_date`;
    expect((await guard(sql)).views).toEqual(['db_session_start']);
  });
});

describe('guardStatement refuses statements that are not one SELECT', () => {
  it.each(['', '   \n\t', '-- only a comment', '/* a block comment */', ';;'])('rejects the empty statement %j', async (sql) => {
    expect((await rejection(sql)).reason).toMatch(/empty/);
  });

  it.each([
    ['DROP', 'DROP TABLE audit_events'],
    ['CREATE', 'CREATE TABLE x AS SELECT 1'],
    ['INSERT', "INSERT INTO x VALUES ('a')"],
    ['UPDATE', 'UPDATE x SET a = 1'],
    ['DELETE', 'DELETE FROM x'],
    ['COPY', "COPY (SELECT 1) TO '/tmp/x.csv'"],
    ['ATTACH', "ATTACH '/tmp/x.db' AS x"],
    ['DETACH', 'DETACH x'],
    ['INSTALL', 'INSTALL httpfs'],
    ['LOAD', 'LOAD httpfs'],
    ['PRAGMA', 'PRAGMA database_list'],
    ['SET', "SET enable_external_access = true"],
    ['RESET', 'RESET enable_external_access'],
    ['CALL', 'CALL duckdb_settings()'],
    ['EXPORT', "EXPORT DATABASE '/tmp/x'"],
    ['IMPORT', "IMPORT DATABASE '/tmp/x'"],
    ['VACUUM', 'VACUUM'],
    ['CHECKPOINT', 'CHECKPOINT'],
    ['USE', 'USE memory'],
    ['BEGIN', 'BEGIN TRANSACTION'],
    ['DESCRIBE', 'DESCRIBE session_start'],
    ['SUMMARIZE', 'SUMMARIZE session_start'],
    ['SHOW', 'SHOW TABLES'],
  ])('rejects %s statements, naming them', async (keyword, sql) => {
    const error = await rejection(sql);
    expect(error.reason).toBe(`${keyword} statements are not allowed: only SELECT, WITH … SELECT and EXPLAIN`);
    expect(error.position).toEqual({ line: 1, column: 1, offset: 0 });
  });

  it('rejects a second statement after a semicolon', async () => {
    const error = await rejection('SELECT 1;\nSELECT 2');
    expect(error.reason).toBe('only one statement is allowed; found 2');
    expect(error.position).toEqual({ line: 2, column: 1, offset: 10 });
  });

  it('rejects SELECT followed by DROP', async () => {
    expect((await rejection('SELECT 1 FROM session_start; DROP TABLE x')).reason).toBe('only one statement is allowed; found 2');
  });

  it('does not split at semicolons inside strings, identifiers or comments', async () => {
    const stmt = await guard(`SELECT ';' AS "a;b", 'it''s; fine' -- ; here
/* ; and here */ FROM session_start`);
    expect(stmt.views).toEqual(['session_start']);
  });

  it('rejects DuckDB FROM-first queries, pointing at SELECT', async () => {
    expect((await rejection('FROM session_start SELECT *')).reason).toBe('FROM-first queries are DuckDB-only: write SELECT … FROM (only SELECT, WITH … SELECT and EXPLAIN)');
  });

  it.each(['PREPARE p AS SELECT 1', 'EXECUTE p', 'TABLE session_start', 'UPDATE EXTENSIONS', 'PIVOT session_start ON proto USING count(*)'])('rejects %s by its keyword', async (sql) => {
    expect((await rejection(sql)).reason).toMatch(/^[A-Z]+ statements are not allowed/);
  });

  it('rejects a data-modifying statement behind a WITH list', async () => {
    const error = await rejection('WITH a AS (SELECT 1) DELETE FROM x');
    expect(error.reason).toBe('DELETE statements are not allowed: only SELECT, WITH … SELECT and EXPLAIN');
  });

  it('rejects a PIVOT statement nested in a subquery', async () => {
    expect((await rejection('SELECT * FROM (PIVOT session_start ON proto USING count(*))')).reason).toMatch(/^the statement contains something other than a query, such as a PIVOT statement/);
  });

  it('rejects EXPLAIN of a refused statement', async () => {
    expect((await rejection('EXPLAIN DROP TABLE x')).reason).toBe('DROP statements are not allowed: only SELECT, WITH … SELECT and EXPLAIN');
  });
});

describe('guardStatement allows reading only the views', () => {
  it.each([
    ['read_csv', "SELECT * FROM read_csv('/etc/passwd')"],
    ['read_parquet', "SELECT * FROM read_parquet('/data/*.parquet')"],
    ['glob', "SELECT * FROM glob('/*')"],
    ['read_text', "SELECT * FROM read_text('/etc/hostname')"],
    ['range', 'SELECT * FROM range(10)'],
    ['generate_series', 'SELECT * FROM generate_series(1, 3)'],
    ['duckdb_settings', 'SELECT * FROM duckdb_settings()'],
  ])('rejects the table function %s', async (name, sql) => {
    const error = await rejection(sql);
    expect(error.reason).toBe(`table function ${name} is not allowed: statements read only the audit views`);
  });

  it.each([
    ['a CSV file', "SELECT * FROM 'file.csv'", 'file.csv'],
    ['a Parquet glob', "SELECT * FROM '/data/**/*.parquet'", '/data/**/*.parquet'],
    ['a quoted file name', 'SELECT * FROM "x.json"', 'x.json'],
  ])('rejects a scan of %s', async (_name, sql, file) => {
    expect((await rejection(sql)).reason).toBe(`reading files is not allowed ('${file}'): statements read only the audit views`);
  });

  it.each([
    ['schema', 'SELECT * FROM main.session_start', 'main.session_start'],
    ['catalog', 'SELECT * FROM memory.main.secrets', 'memory.main.secrets'],
    ['information_schema', 'SELECT * FROM information_schema.tables', 'information_schema.tables'],
  ])('rejects a %s-qualified table', async (_name, sql, qualified) => {
    expect((await rejection(sql)).reason).toMatch(new RegExp(`^unknown table or view '${qualified.replaceAll('.', '\\.')}': views are not schema-qualified; (did you mean \\w+\\? )?available views are audit_events, `));
  });

  it('rejects an unknown table, suggesting the views', async () => {
    const error = await rejection('SELECT * FROM sesion_start');
    expect(error.reason).toMatch(/^unknown table or view 'sesion_start': did you mean session_start\? available views are audit_events, access_list_create, /);
    expect(error.reason).toContain('user_login');
    expect(error.position).toEqual({ line: 1, column: 15, offset: 14 });
  });

  it.each([
    ['query', "SELECT * FROM session_start WHERE query('SELECT 1') IS NOT NULL"],
    ['query_table', "SELECT query_table('x') FROM session_start"],
    ['getenv', "SELECT getenv('HOME')"],
    ['current_setting', "SELECT current_setting('allowed_directories')"],
    ['read_text', "SELECT read_text('/etc/passwd')"],
    ['read_blob', "SELECT read_blob('/etc/passwd')"],
    ['sniff_csv', "SELECT sniff_csv('/etc/passwd')"],
    ['duckdb_extensions', 'SELECT duckdb_extensions()'],
    ['pragma_version', 'SELECT pragma_version()'],
    ['parquet_metadata', "SELECT parquet_metadata('x')"],
    ['json_execute_serialized_sql', "SELECT json_execute_serialized_sql('{}')"],
    ['json_deserialize_sql', "SELECT json_deserialize_sql('{}')"],
    ['current_query', 'SELECT current_query() FROM session_start'],
  ])('rejects the function %s', async (name, sql) => {
    expect((await rejection(sql)).reason).toBe(`function ${name} is not allowed: it reads outside the audit views`);
  });

  it('checks function names case-insensitively and with a schema', async () => {
    expect((await rejection("SELECT GETENV('HOME')")).reason).toMatch(/^function getenv /);
    expect((await rejection("SELECT main.getenv('HOME')")).reason).toMatch(/^function getenv /);
    expect((await rejection("SELECT system.main.query('SELECT 1')")).reason).toMatch(/^function query /);
  });

  it.each([
    ['a subquery in WHERE', "SELECT * FROM session_start WHERE sid IN (SELECT x FROM read_csv('/etc/passwd'))", 'table function read_csv'],
    ['a CTE', "WITH a AS (SELECT * FROM 'x.csv') SELECT * FROM a", 'reading files'],
    ['a nested CTE', "WITH a AS (WITH b AS (SELECT getenv('HOME') AS h) SELECT * FROM b) SELECT * FROM a", 'function getenv'],
    ['a join', 'SELECT * FROM session_start s JOIN main.secrets t ON true', "unknown table or view 'main.secrets'"],
    ['a union branch', 'SELECT "user" FROM session_start UNION ALL SELECT name FROM sqlite_master', "unknown table or view 'sqlite_master'"],
    ['a lambda', "SELECT list_transform(['a'], x -> getenv(x)) FROM session_start", 'function getenv'],
    ['a window', "SELECT sum(1) OVER (ORDER BY getenv('HOME')) FROM session_start", 'function getenv'],
    ['a scalar subquery in SELECT', "SELECT (SELECT current_setting('threads')) FROM session_start", 'function current_setting'],
    ['a CASE inside a function inside a filter', "SELECT count(*) FILTER (WHERE CASE WHEN true THEN upper(query('x')::VARCHAR) END = 'a') FROM session_start", 'function query'],
    ['a lateral subquery', 'SELECT * FROM session_start, LATERAL (SELECT * FROM duckdb_tables())', 'table function duckdb_tables'],
    ['ORDER BY', "SELECT * FROM session_start ORDER BY getenv('x')", 'function getenv'],
    ['a recursive CTE', "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n FROM t, read_text('/x')) SELECT * FROM t", 'table function read_text'],
  ])('finds an attack nested in %s', async (_name, sql, reason) => {
    expect((await rejection(sql)).reason).toContain(reason);
  });
});

describe('guardStatement reports positions in the user text', () => {
  it('points at a forbidden table function on a later line', async () => {
    const error = await rejection("SELECT *\nFROM session_start\n  JOIN read_csv('/etc/passwd') ON true");
    expect(error.position).toEqual({ line: 3, column: 8, offset: 35 });
  });

  it('counts columns in characters after multi-byte text', async () => {
    const error = await rejection("SELECT 'héllo ✓',\n  'ü', getenv('HOME')");
    expect(error.position).toEqual({ line: 2, column: 8, offset: 25 });
  });

  it('points into the statement after EXPLAIN ANALYZE', async () => {
    const error = await rejection('EXPLAIN ANALYZE\nSELECT * FROM nope');
    expect(error.position).toEqual({ line: 2, column: 15, offset: 30 });
  });

  it('reports a syntax error as SqlInvalid with its position', async () => {
    const error = await guard('SELECT *\nFROM session_start\nWHERE (user = 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqlInvalid);
    expect((error as SqlInvalid).position).toEqual({ line: 3, column: 16, offset: 43 });
    expect((error as SqlInvalid).message).toMatch(/syntax error at end of input \(line 3, column 16\)/);
  });

  it('reports a misspelled keyword at the word', async () => {
    const error = await guard('SELECT 1\r\nFORM session_start').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqlInvalid);
    expect((error as SqlInvalid).position?.line).toBe(2);
  });
});

describe('guardStatement learns views and column names from the AST', () => {
  it('names the unaliased count like Athena', async () => {
    const stmt = await guard('SELECT "user", count(*) FROM session_start');
    expect(stmt).toEqual({ sql: 'SELECT "user", count(*) FROM session_start', explain: false, views: ['session_start'], columnNames: [null, '_col1'] });
  });

  it('keeps aliases and plain column references', async () => {
    const stmt = await guard('SELECT s.login, lower(login), count(*) AS n, 1 FROM session_start s');
    expect(stmt.columnNames).toEqual([null, '_col1', null, '_col3']);
  });

  it('gives no names for SELECT * or EXPLAIN', async () => {
    expect((await guard('SELECT *, 1 FROM session_start')).columnNames).toBeNull();
    expect((await guard('SELECT COLUMNS(\'a.*\') FROM session_start')).columnNames).toBeNull();
    const explain = await guard('EXPLAIN SELECT 1 FROM session_start');
    expect(explain.explain).toBe(true);
    expect(explain.columnNames).toBeNull();
    expect(explain.views).toEqual(['session_start']);
  });

  it('names the columns of the left-most branch of a set operation', async () => {
    expect((await guard('SELECT "user", 1 FROM session_start UNION SELECT "user", 2 AS x FROM user_login')).columnNames).toEqual([null, '_col1']);
  });

  it('lists each view once, in order of appearance, across subqueries and joins', async () => {
    const stmt = await guard('SELECT * FROM session_start JOIN (SELECT * FROM user_login) u USING ("user") WHERE EXISTS (SELECT 1 FROM session_start) AND 1 IN (SELECT 1 FROM audit_events)');
    expect(stmt.views).toEqual(['session_start', 'user_login', 'audit_events']);
  });

  it('does not count a CTE that shadows a view as reading the view', async () => {
    const stmt = await guard('WITH session_start AS (SELECT 1 AS x) SELECT * FROM session_start');
    expect(stmt.views).toEqual([]);
  });

  it('counts a view read outside the scope of a same-named nested CTE', async () => {
    const stmt = await guard('SELECT * FROM session_start, (WITH session_start AS (SELECT 1 AS x) SELECT * FROM session_start) t');
    expect(stmt.views).toEqual(['session_start']);
  });

  it('matches view names case-insensitively', async () => {
    expect((await guard('SELECT * FROM Session_Start')).views).toEqual(['session_start']);
  });

  it('refuses a top-level CTE named like a view it also reads', async () => {
    const error = await rejection('WITH a AS (SELECT * FROM session_start), session_start AS (SELECT * FROM a) SELECT * FROM session_start');
    expect(error.reason).toBe("the CTE 'session_start' has the name of a view it also reads; rename the CTE");
  });
});

describe('known limitations of parsing Trino SQL with DuckDB', () => {
  it('parses Trino interval literals, lambdas and cardinality', async () => {
    await expect(guard("SELECT cardinality(access_requests), transform(access_requests, x -> x || '!') FROM session_start WHERE event_time > now() - interval '1' day")).resolves.toBeDefined();
  });

  it('does not parse CAST(x AS array(varchar)): write CAST(x AS varchar[]) or use json_extract_scalar', async () => {
    await expect(guard("SELECT CAST(json_parse('[]') AS array(varchar))")).rejects.toBeInstanceOf(SqlInvalid);
  });
});

describe('guardStatement bounds the lists a statement may build from literals', () => {
  it('refuses range() and generate_series() of more than a million elements, which DuckDB builds outside its memory limit', async () => {
    for (const sql of ['SELECT len(list_sort(range(150000000))) AS n', 'SELECT generate_series(0, 5000000) AS s', 'SELECT range(0, 10000000, 2) AS r']) {
      expect((await rejection(sql)).message).toMatch(/elements is not allowed: at most 1,000,000/);
    }
  });

  it('keeps small series, and series it cannot size from literals, for the engine limits to bound', async () => {
    for (const sql of ['SELECT range(24) AS hours', 'SELECT generate_series(1, 7) AS days', 'SELECT range(0, 1000000, 1) AS r', 'SELECT range(count(*)) AS r FROM session_start']) {
      await expect(guard(sql)).resolves.toBeDefined();
    }
  });
});
