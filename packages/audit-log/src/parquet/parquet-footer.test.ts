import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markTimestampAdjustedToUtc, timestampColumnsOf } from './parquet-footer';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'audit-log-footer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function duckdb(sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`SET TimeZone = 'UTC'`);
    return (await connection.runAndReadAll(sql)).getRows();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A file DuckDB writes with a plain TIMESTAMP_MS `t`, a TIMESTAMPTZ `tz` and a string `s`. */
async function written(): Promise<string> {
  const file = path.join(dir, 'x.parquet');
  await duckdb(`COPY (SELECT CAST(epoch_ms(1709287200123) AS TIMESTAMP_MS) AS t, CAST(epoch_ms(0) AS TIMESTAMPTZ) AS tz, 'a' AS s) TO '${file}' (FORMAT parquet)`);
  return file;
}

function footerOf(bytes: Buffer): Buffer {
  const length = bytes.readUInt32LE(bytes.length - 8);
  return bytes.subarray(bytes.length - 8 - length, bytes.length - 8);
}

describe('Parquet footer', () => {
  it('reads the timestamp columns of a footer with their unit and UTC flag', async () => {
    const columns = timestampColumnsOf(footerOf(await readFile(await written())));
    expect(columns.map(({ name, adjusted, unit }) => ({ name, adjusted, unit }))).toEqual([
      { name: 'duckdb_schema', adjusted: undefined, unit: undefined },
      { name: 't', adjusted: false, unit: 'MILLIS' },
      { name: 'tz', adjusted: true, unit: 'MICROS' },
      { name: 's', adjusted: undefined, unit: undefined },
    ]);
  });

  it('marks a TIMESTAMP(MILLIS) column adjusted to UTC by changing one byte, keeping its values', async () => {
    const file = await written();
    const before = await readFile(file);
    await markTimestampAdjustedToUtc(file, 't');
    const after = await readFile(file);
    expect(after.length).toBe(before.length);
    expect([...after].filter((b, i) => b !== before[i])).toHaveLength(1);
    expect(await duckdb(`SELECT logical_type FROM parquet_schema('${file}') WHERE name = 't'`)).toEqual([[expect.stringContaining('isAdjustedToUTC=1, unit=TimeUnit(MILLIS=MilliSeconds()')]]);
    expect(await duckdb(`SELECT typeof(t), epoch_ms(t), s FROM read_parquet('${file}')`)).toEqual([['TIMESTAMP WITH TIME ZONE', 1709287200123n, 'a']]);
    await markTimestampAdjustedToUtc(file, 't'); // already adjusted: unchanged
    expect(await readFile(file)).toEqual(after);
  });

  it('refuses a column that is not a TIMESTAMP(MILLIS), and a file that is not Parquet', async () => {
    const file = await written();
    await expect(markTimestampAdjustedToUtc(file, 'tz')).rejects.toThrow(/column tz is not a TIMESTAMP\(MILLIS\)/);
    await expect(markTimestampAdjustedToUtc(file, 's')).rejects.toThrow(/column s is not a TIMESTAMP\(MILLIS\)/);
    await expect(markTimestampAdjustedToUtc(file, 'nope')).rejects.toThrow(/column nope/);
    await expect(markTimestampAdjustedToUtc(path.join(import.meta.dirname, 'parquet-footer.ts'), 't')).rejects.toThrow(/not a Parquet file/);
  });
});
