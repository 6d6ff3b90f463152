import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { athenaTextExpression } from './athena-text-projection';
import { athenaTypeName } from './athena-type-name';

describe('athenaTextExpression', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await connection.run(`SET TimeZone='UTC'`);
  });
  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });

  /** The text and the Athena type name of one SQL value, the way the result writer prints it. */
  async function athenaText(sqlValue: string): Promise<{ text: string | null; type: string }> {
    const prepared = await connection.prepare(`SELECT ${sqlValue} AS v`);
    const type = prepared.columnType(0);
    prepared.destroySync();
    const reader = await connection.runAndReadAll(`SELECT CAST(${athenaTextExpression('q.v', type)} AS VARCHAR) FROM (SELECT ${sqlValue} AS v) AS q`);
    return { text: reader.getRows()[0]![0] as string | null, type: athenaTypeName(type) };
  }

  it('prints timestamps of every precision with exactly three fractional digits', async () => {
    expect(await athenaText(`TIMESTAMP '2024-03-01 10:00:00'`)).toEqual({ text: '2024-03-01 10:00:00.000', type: 'timestamp' });
    expect(await athenaText(`TIMESTAMP '2024-03-01 10:00:00.123456'`)).toEqual({ text: '2024-03-01 10:00:00.123', type: 'timestamp' });
    expect(await athenaText(`CAST(TIMESTAMP '2024-03-01 10:00:00.5' AS TIMESTAMP_MS)`)).toEqual({ text: '2024-03-01 10:00:00.500', type: 'timestamp' });
    expect(await athenaText(`TIMESTAMPTZ '2024-03-01 10:00:00.5+00'`)).toEqual({ text: '2024-03-01 10:00:00.500 UTC', type: 'timestamp with time zone' });
  });

  it('prints arrays, maps and rows the way Trino does, with null for NULL elements', async () => {
    expect(await athenaText(`['a', NULL, 'b c']`)).toEqual({ text: '[a, null, b c]', type: 'array(varchar)' });
    expect(await athenaText(`CAST([] AS VARCHAR[])`)).toEqual({ text: '[]', type: 'array(varchar)' });
    expect(await athenaText(`MAP {'k': 1, 'j': NULL}`)).toEqual({ text: '{k=1, j=null}', type: 'map(varchar, integer)' });
    expect(await athenaText(`[{'cluster': 'c1', 'n': 2}, NULL]`)).toEqual({ text: '[{cluster=c1, n=2}, null]', type: 'array(row(cluster varchar, n integer))' });
    expect(await athenaText(`[TIMESTAMP '2024-03-01 10:00:00']`)).toEqual({ text: '[2024-03-01 10:00:00.000]', type: 'array(timestamp)' });
    expect(await athenaText(`CAST(NULL AS VARCHAR[])`)).toEqual({ text: null, type: 'array(varchar)' });
  });

  it('leaves scalars DuckDB already prints like Athena untouched', async () => {
    expect(athenaTextExpression('q.v', (await connection.prepare(`SELECT 1::BIGINT`)).columnType(0))).toBe('q.v');
    expect(await athenaText(`count(*)`)).toEqual({ text: '1', type: 'bigint' });
    expect(await athenaText(`sum(2)`)).toEqual({ text: '2', type: 'bigint' });
    expect(await athenaText(`DATE '2024-03-01'`)).toEqual({ text: '2024-03-01', type: 'date' });
    expect(await athenaText(`3.25::DECIMAL(10,2)`)).toEqual({ text: '3.25', type: 'decimal(10,2)' });
  });
});
