import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbSqlParser } from './duckdb-sql-parser';

let parser: Awaited<ReturnType<typeof createDuckDbSqlParser>>;
beforeAll(async () => {
  parser = await createDuckDbSqlParser();
});
afterAll(() => parser.close());

describe('createDuckDbSqlParser', () => {
  it('serializes every statement of the text', async () => {
    const result = await parser.serialize('SELECT 1; SELECT 2');
    expect(result.error).toBe(false);
    expect(result.error === false && result.statements).toHaveLength(2);
  });

  it('reports syntax errors with their byte position', async () => {
    expect(await parser.serialize('SELECT * FROM')).toMatchObject({ error: true, error_type: 'parser', position: '13' });
  });

  it('passes the SQL as a parameter, so quotes in it cannot break out', async () => {
    const result = await parser.serialize("SELECT '$1'')'; --'");
    expect(result.error).toBe(false);
  });

  it('answers concurrent calls each with its own statement', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => parser.serialize(`SELECT ${i} AS c${i}`)));
    results.forEach((result, i) => {
      expect(JSON.stringify(result)).toContain(`"alias":"c${i}"`);
    });
  });

  it('only parses: a statement that would fail to bind still serializes', async () => {
    expect((await parser.serialize('SELECT no_such_column FROM no_such_table')).error).toBe(false);
  });
});
