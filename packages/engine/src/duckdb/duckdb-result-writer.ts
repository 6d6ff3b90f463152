import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, unlink, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { writeFileAtomic } from '@access-monitor/storage';
import type { DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import type { ColumnInfo } from '@access-monitor/contracts';
import { athenaCsvLine } from '../results/athena-csv';
import { CsvRecordScanner } from '../results/csv-record-scanner';
import type { ResultMetadata } from '../results/result-reader';
import { athenaTextExpression } from './athena-text-projection';
import { athenaTypeName } from './athena-type-name';
import { executionFiles } from './execution-files';
import { sqlString } from '@access-monitor/sql';

export interface ResultTarget {
  resultsDir: string;
  id: string;
  /** Athena's output names from the guard (`_colN` for unaliased expressions); null entries keep DuckDB's name. */
  columnNames: ReadonlyArray<string | null> | null;
}

const quoteIdentifier = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/** Athena reports column names in lower case (Trino folds identifiers). */
function outputColumns(duckNames: string[], types: DuckDBType[], athenaNames: ReadonlyArray<string | null> | null): ColumnInfo[] {
  const names = athenaNames && athenaNames.length === duckNames.length ? athenaNames : null;
  return duckNames.map((name, i) => ({ name: (names?.[i] ?? name).toLowerCase(), type: athenaTypeName(types[i]!) }));
}

/**
 * Runs a SELECT and writes `<id>.csv` + `<id>.csv.metadata.json` as Athena would. DuckDB's COPY
 * writes the rows (every value quoted, NULL unquoted-empty); each column goes through a projection
 * that makes its text Athena's (timestamps with milliseconds, Trino's array/map/row text). The
 * query itself is wrapped as a subquery, which DuckDB runs in its ORDER BY order.
 */
export async function writeSelectResult(connection: DuckDBConnection, sql: string, target: ResultTarget): Promise<ResultMetadata> {
  const files = executionFiles(target.resultsDir, target.id);
  const prepared = await connection.prepare(sql);
  const duckNames: string[] = [];
  const types: DuckDBType[] = [];
  try {
    for (let i = 0; i < prepared.columnCount; i++) {
      duckNames.push(prepared.columnName(i));
      types.push(prepared.columnType(i));
    }
  } finally {
    prepared.destroySync();
  }
  const columns = outputColumns(duckNames, types, target.columnNames);
  // Positional aliases for the query's columns: its own names may repeat or need quoting.
  const aliases = types.map((_, i) => `c${i}`);
  const projection = types.map((type, i) => `${athenaTextExpression(`q.${aliases[i]}`, type)} AS ${quoteIdentifier(columns[i]!.name)}`).join(', ');
  const copy = `COPY (SELECT ${projection} FROM (\n${sql}\n) AS q(${aliases.join(', ')})) TO ${sqlString(files.csvPartial)} (FORMAT csv, HEADER true, FORCE_QUOTE *, DELIMITER ',', QUOTE '"', ESCAPE '"', NULLSTR '')`;
  try {
    const reader = await connection.runAndReadAll(copy);
    const rowCount = Number(reader.getRows()[0]?.[0] ?? 0);
    await ensureHeader(files, athenaCsvLine(columns.map((c) => c.name)));
    return await publish(files, { columns, rowCount });
  } finally {
    await removePartials(target);
  }
}

/**
 * COPY writes the header itself (saving a second pass over the file), but renames repeated column
 * names (`user`, `user_1`); Athena keeps them. When its header is not exactly ours, swap it.
 */
async function ensureHeader(files: ReturnType<typeof executionFiles>, header: string): Promise<void> {
  const expected = Buffer.from(header, 'utf8');
  const written = await firstRecordOf(files.csvPartial);
  if (written.equals(expected)) return;
  await writeFile(files.rowsPartial, expected);
  await pipeline(createReadStream(files.csvPartial, { start: written.length }), createWriteStream(files.rowsPartial, { flags: 'a' }));
  await rename(files.rowsPartial, files.csvPartial);
}

/** The bytes of the first CSV record (the header), newline included. */
async function firstRecordOf(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let end: number | undefined;
    const scanner = new CsvRecordScanner((_f, _start, next) => (end ??= next), 0, false);
    for (let position = 0; end === undefined; ) {
      const chunk = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      scanner.push(chunk.subarray(0, bytesRead));
      position += bytesRead;
    }
    const all = Buffer.concat(chunks);
    return all.subarray(0, end ?? all.length);
  } finally {
    await handle.close();
  }
}

/**
 * EXPLAIN (COPY cannot wrap it): a small result, read whole and written from JS. `redact` rewrites each value
 * (the plan names the files it reads, under the server's folders).
 */
export async function writeMaterializedResult(
  connection: DuckDBConnection,
  sql: string,
  target: ResultTarget,
  redact: (text: string) => string = (text) => text,
): Promise<ResultMetadata> {
  const files = executionFiles(target.resultsDir, target.id);
  const reader = await connection.runAndReadAll(sql);
  const columns = outputColumns(reader.columnNames(), reader.columnTypes(), target.columnNames);
  const rows = reader.getRows();
  const lines = [athenaCsvLine(columns.map((c) => c.name)), ...rows.map((row) => athenaCsvLine(row.map((v) => (v === null ? null : redact(String(v))))))];
  try {
    await writeFile(files.csvPartial, lines.join(''));
    return await publish(files, { columns, rowCount: rows.length });
  } finally {
    await removePartials(target);
  }
}

async function publish(files: ReturnType<typeof executionFiles>, metadata: ResultMetadata): Promise<ResultMetadata> {
  await rename(files.csvPartial, files.csv);
  await writeFileAtomic(files.metadata, JSON.stringify(metadata));
  return metadata;
}

/** Removes what a failed or interrupted write left behind. */
export async function removePartials(target: Pick<ResultTarget, 'resultsDir' | 'id'>): Promise<void> {
  const files = executionFiles(target.resultsDir, target.id);
  await Promise.all([files.rowsPartial, files.csvPartial].map((f) => unlink(f).catch(() => undefined)));
}
