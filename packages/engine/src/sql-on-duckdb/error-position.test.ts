import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUCKDB_COMPAT_MACROS, duckdbErrorPosition, trinoErrorPosition, userIndexOfExecuted, guardStatement, renderExecutable, type SqlParser } from '@access-monitor/sql';
import { createDuckDbSqlParser } from '../duckdb/duckdb-sql-parser';

const WINDOW = { start: '2024-01-01', end: '2024-01-07' };

let parser: SqlParser & { close(): void };
let instance: DuckDBInstance;
let connection: DuckDBConnection;
beforeAll(async () => {
  parser = await createDuckDbSqlParser();
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  for (const macro of DUCKDB_COMPAT_MACROS) await connection.run(macro);
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
  parser.close();
});

/** Runs `sql` as the DuckDB engine does (guarded, views prepended) and maps the error it fails with. */
async function failAt(sql: string) {
  const executed = renderExecutable(await guardStatement(sql, parser), WINDOW, { dialect: 'duckdb', files: [] });
  const error = await connection.prepare(executed).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the statement should fail to bind').toBeDefined();
  return duckdbErrorPosition(error, sql, executed);
}

describe('duckdbErrorPosition', () => {
  it('points an unknown column at its line and column in the SQL the user wrote, not in the views prepended to it', async () => {
    const sql = 'SELECT "user",\n       no_such_column\nFROM session_start';
    expect(await failAt(sql)).toEqual({ line: 2, column: 8, offset: 22, length: 14 });
  });

  it('maps a position after the views merged into the user’s own WITH list', async () => {
    const sql = 'WITH recent AS (SELECT "user" FROM session_start)\nSELECT missing FROM recent';
    expect(await failAt(sql)).toMatchObject({ line: 2, column: 8, length: 7 });
  });

  it('points a type mismatch at the expression DuckDB names', async () => {
    const sql = 'SELECT login\nFROM session_start\nWHERE login + 1 > 2';
    expect(await failAt(sql)).toEqual({ line: 3, column: 13, offset: 44, length: 1 });
  });

  it('points at an unknown function and an unknown table', async () => {
    expect(await failAt('SELECT no_such_fn(login) FROM session_start')).toMatchObject({ line: 1, column: 8, length: 10 });
    expect(await failAt('SELECT 1 AS one\nFROM (SELECT 1) AS t\nWHERE t.x = 1')).toMatchObject({ line: 3, column: 7 });
  });

  it('counts wide characters and tabs as DuckDB renders them', async () => {
    const sql = "SELECT\t'日本語', 'é', nope FROM session_start";
    expect(await failAt(sql)).toMatchObject({ line: 1, column: sql.indexOf('nope') + 1, length: 4 });
  });

  it('finds the place in a long line DuckDB cut to an excerpt with ...', async () => {
    const sql = `SELECT ${Array.from({ length: 20 }, (_, i) => `login AS l${i}`).join(', ')}, far_away FROM session_start`;
    expect(await failAt(sql)).toMatchObject({ line: 1, column: sql.indexOf('far_away') + 1, length: 8 });
  });

  it('finds the column a GROUP BY error names when DuckDB gives no excerpt', async () => {
    const sql = 'SELECT login\nFROM session_start\nGROUP BY login\nHAVING "user" = \'x\'';
    expect(await failAt(sql)).toMatchObject({ line: 4, column: 8, length: 6 });
  });

  it('gives no position for an error that names no place', () => {
    expect(duckdbErrorPosition(new Error('Out of Memory Error: could not allocate block'), 'SELECT 1', 'SELECT 1')).toBeUndefined();
  });
});

describe('trinoErrorPosition', () => {
  it("maps Athena's line:column in the statement it ran back to the SQL the user wrote", () => {
    const user = 'SELECT "user",\n  bad_column\nFROM session_start;';
    const executed = `WITH\nsession_start AS (SELECT event_date FROM db.t WHERE event_date BETWEEN date '2024-01-01' AND date '2024-01-07')\n${user.slice(0, -1)}`;
    expect(trinoErrorPosition("COLUMN_NOT_FOUND: line 4:3: Column 'bad_column' cannot be resolved", user, executed)).toEqual({ line: 2, column: 3, offset: 17, length: 10 });
  });

  it('gives no position for a place inside the prepended views or a message without one', () => {
    const executed = 'WITH\nv AS (SELECT 1)\nSELECT * FROM v';
    expect(trinoErrorPosition('TYPE_MISMATCH: line 2:7: oops', 'SELECT * FROM v', executed)).toBeUndefined();
    expect(trinoErrorPosition('Query exhausted resources at this scale factor', 'SELECT * FROM v', executed)).toBeUndefined();
  });
});

describe('userIndexOfExecuted', () => {
  it('keeps indexes before the inserted views and shifts those after them', () => {
    const user = 'WITH a AS (SELECT 1) SELECT * FROM a; -- done';
    const executed = 'WITH\nv AS (SELECT 2), a AS (SELECT 1) SELECT * FROM a';
    expect(userIndexOfExecuted(user, executed, 2)).toBe(2);
    expect(userIndexOfExecuted(user, executed, executed.indexOf('* FROM'))).toBe(user.indexOf('* FROM'));
    expect(userIndexOfExecuted(user, executed, executed.indexOf('2'))).toBeUndefined();
  });
});
