// Test support: runs built-in SQL the way the DuckDB engine does (guard, views rendered as CTEs over
// Athena-layout Parquet, Trino compatibility macros, UTC, integer division) and returns JSON rows.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { athenaRowOf, parseRfc3339Millis, writeAthenaParquet, type AuditEvent } from '@access-monitor/audit-log';
import { DUCKDB_COMPAT_MACROS, guardStatement, renderExecutable } from '@access-monitor/sql';
import { createDuckDbSqlParser } from '@access-monitor/engine/duckdb-parser';
import { DuckDBInstance } from '@duckdb/node-api';
import type { AuditQueryDefinition } from '../model';

export type DateWindow = Parameters<typeof renderExecutable>[1];

export interface QueryRows {
  columns: string[];
  rows: unknown[][];
}

export interface FindingRows {
  chart: QueryRows;
  detail: QueryRows;
}

export interface DuckDbFindings {
  /** Writes the events as Teleport's Athena consumer would, into a fresh folder; returns the Parquet files. */
  write(events: readonly AuditEvent[]): Promise<string[]>;
  /** Guards, renders and runs one statement over the files and window. */
  run(sql: string, files: readonly string[], window: DateWindow): Promise<QueryRows>;
  /** A query's chart and detail rows. */
  runFinding(query: AuditQueryDefinition, files: readonly string[], window: DateWindow): Promise<FindingRows>;
  /** A fresh empty folder under the harness's temporary root, removed on close. */
  scratchFolder(): Promise<string>;
  close(): Promise<void>;
}

export async function openDuckDbFindings(): Promise<DuckDbFindings> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'am-reports-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  await connection.run('SET integer_division = true');
  for (const macro of DUCKDB_COMPAT_MACROS) await connection.run(macro);
  const parser = await createDuckDbSqlParser();
  let folders = 0;

  async function run(sql: string, files: readonly string[], window: DateWindow): Promise<QueryRows> {
    const guarded = await guardStatement(sql, parser);
    const reader = await connection.runAndReadAll(renderExecutable(guarded, window, { dialect: 'duckdb', files: [...files] }));
    return { columns: reader.columnNames(), rows: reader.getRowsJson() as unknown[][] };
  }

  return {
    async write(events) {
      const out = path.join(root, `events-${++folders}`);
      const rows = events.map((event) => {
        const ms = parseRfc3339Millis(event.time);
        if (ms === undefined) throw new Error(`fixture event has an invalid time ${event.time}`);
        return athenaRowOf(event, ms);
      });
      return (await writeAthenaParquet(out, rows)).map((chunk) => chunk.path);
    },
    run,
    async runFinding(query, files, window) {
      if (query.detailSql === null) throw new Error(`${query.id} has no detail query`);
      return { chart: await run(query.chartSql, files, window), detail: await run(query.detailSql, files, window) };
    },
    async scratchFolder() {
      const folder = path.join(root, `scratch-${++folders}`);
      await mkdir(folder);
      return folder;
    },
    async close() {
      parser.close();
      connection.closeSync();
      instance.closeSync();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The sum of a chart's `count` column (BIGINT, read as text). */
export function chartTotal(chart: QueryRows): number {
  const at = chart.columns.indexOf('count');
  return chart.rows.reduce<number>((sum, row) => sum + Number(row[at]), 0);
}
