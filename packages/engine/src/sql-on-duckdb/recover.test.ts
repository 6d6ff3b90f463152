import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbSqlParser } from '../duckdb/duckdb-sql-parser';
import { guardStatement, recoverRenderedStatement, renderExecutable, type SqlParser } from '@access-monitor/sql';

const window = { start: '2024-03-01', end: '2024-03-07' };
const source = { dialect: 'trino', table: 'audit_db.audit_table' } as const;

describe('recoverRenderedStatement', () => {
  let parser: SqlParser & { close(): void };
  beforeAll(async () => {
    parser = await createDuckDbSqlParser();
  });
  afterAll(() => parser.close());

  const rendered = async (sql: string): Promise<string> => renderExecutable(await guardStatement(sql, parser), window, source);

  it.each([
    ['a plain SELECT over one view', `SELECT "user", count(*) AS n FROM session_start GROUP BY 1`],
    ['several views and audit_events', `SELECT s.uid FROM session_start s JOIN user_login l ON s."user" = l."user" JOIN audit_events a ON a.uid = s.uid`],
    ['a statement with its own WITH list', `WITH x AS (SELECT uid FROM session_start) SELECT * FROM x`],
    ['its own WITH starting on a new line', `WITH\nx AS (SELECT uid FROM user_login) SELECT count(*) FROM x`],
    ['EXPLAIN', `EXPLAIN SELECT count(*) FROM db_session_start`],
    ['a trailing comment', `SELECT uid FROM audit_events -- last`],
  ])('gives back the SQL, views and window of %s', async (_name, sql) => {
    const guarded = await guardStatement(sql, parser);
    const text = renderExecutable(guarded, window, source);
    const back = recoverRenderedStatement(text);
    expect(back).toBeDefined();
    expect(back!.views).toEqual(guarded.views);
    expect(back!.window).toEqual(window);
    expect(back!.table).toBe('audit_db.audit_table');
    expect(renderExecutable({ ...guarded, sql: back!.sql }, window, source)).toBe(text);
  });

  it('gives a statement that reads no view back unchanged', async () => {
    expect(recoverRenderedStatement(await rendered('SELECT 1 AS one'))).toEqual({ sql: 'SELECT 1 AS one', views: [] });
  });

  it('gives nothing the guard accepts for text the renderer did not write', async () => {
    const text = await rendered(`SELECT s.uid FROM session_start s JOIN user_login l ON s.uid = l.uid`);
    // Two views over different windows: the second reads as the user's own CTE over the table, which the guard refuses.
    const tampered = recoverRenderedStatement(text.replace("date '2024-03-07')\nSELECT", "date '2024-03-08')\nSELECT"));
    await expect(guardStatement(tampered!.sql, parser)).rejects.toThrow(/syntax error|not allowed|may not|cannot/);
    const retyped = recoverRenderedStatement(text.replace('session.start', 'session.end'));
    await expect(guardStatement(retyped!.sql, parser)).rejects.toThrow(/syntax error|not allowed|may not|cannot/);
  });
});
