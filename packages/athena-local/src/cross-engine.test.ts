import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '@access-monitor/audit-log';
import type { Cell, DateWindow } from '@access-monitor/contracts';
import { createAthenaEngine, createDuckDbEngine, type ExecutionStatus, type QueryEngine } from '@access-monitor/engine';
import { waitForState } from '@access-monitor/engine/contract';
import { BUILT_IN_REPORTS, USAGE_QUERIES } from '@access-monitor/reports';
import { athenaColumnType } from './athena-peer';
import { athenaEngineOptionsFor, startAwsLocal, type AwsLocal } from './index';

// Same answers from both engines over the same generated audit log: DuckDB's answer (views over the
// Parquet, access-monitor's compatibility macros) against the answer to the Trino text the Athena
// engine sends, which the peer runs through an independent translator (a transpiler, no knowledge
// of how access-monitor renders). Every built-in finding, chart and usage query, and the README's samples.

const END = '2024-03-10';
const window: DateWindow = { start: '2024-03-04', end: END };

const QUERIES = [
  ...BUILT_IN_REPORTS.flatMap((report) =>
    report.queries.flatMap((q) => [
      { name: `${report.name} / ${q.id} (chart)`, sql: q.chartSql },
      ...(q.detailSql !== null ? [{ name: `${report.name} / ${q.id} (detail)`, sql: q.detailSql }] : []),
    ]),
  ),
  ...USAGE_QUERIES.map((q) => ({ name: `usage / ${q.id}`, sql: q.sql })),
  // The README's sample queries.
  { name: 'sample / sessions', sql: 'SELECT count(*) AS n FROM session_start' },
  { name: 'sample / sessions per user', sql: 'SELECT "user", count(*) AS sessions FROM session_start GROUP BY "user" ORDER BY sessions DESC' },
  { name: 'sample / unaliased count', sql: 'SELECT count(*) FROM session_start' },
];

/** Rows in a deterministic order over all columns (the queries' own ORDER BY may leave ties). */
const sorted = (rows: Cell[][]): Cell[][] => [...rows].sort((a, b) => compareRows(a, b));

function compareRows(a: Cell[], b: Cell[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = JSON.stringify(a[i] ?? null);
    const y = JSON.stringify(b[i] ?? null);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

describe('the same answers from DuckDB and Athena', () => {
  let root: string;
  let local: AwsLocal;
  let duckdb: QueryEngine;
  let athena: QueryEngine;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'cross-engine-'));
    const dataDir = path.join(root, 'events');
    await generateDemoData({ out: dataDir, days: 7, events: 3000, seed: 20240310, end: END });
    duckdb = await createDuckDbEngine({ dataDir, resultsDir: path.join(root, 'duckdb-results'), threads: 1 });
    local = await startAwsLocal({ dataDir, cacheDir: path.join(root, 'athena-cache'), threads: 1 });
    athena = await createAthenaEngine(athenaEngineOptionsFor(local));
  });
  afterAll(async () => {
    await athena?.close();
    await duckdb?.close();
    await local?.stop();
    await rm(root, { recursive: true, force: true });
  });

  async function rowsOf(engine: QueryEngine, sql: string, token: string): Promise<{ status: ExecutionStatus; rows: Cell[][] }> {
    const { id } = await engine.start({ sql, window, token });
    const status = await waitForState(engine, id);
    if (status.state !== 'SUCCEEDED') throw new Error(`${engine.name} ended ${status.state}: ${status.error?.message}`);
    const rows: Cell[][] = [];
    while (rows.length < status.rowCount!) rows.push(...(await engine.page(id, rows.length, 5000)).rows);
    return { status, rows };
  }

  it('has built-in queries to compare, and data they find', async () => {
    expect(QUERIES.length).toBeGreaterThan(10);
    const { rows } = await rowsOf(athena, 'SELECT count(*) AS n FROM audit_events', 'count-all');
    expect(Number(rows[0]![0])).toBeGreaterThan(1000);
  });

  it.each(QUERIES)('$name', async ({ name, sql }) => {
    const [d, a] = await Promise.all([rowsOf(duckdb, sql, `duckdb ${name}`), rowsOf(athena, sql, `athena ${name}`)]);
    // Athena names a column's type without its parameters (`array`, `decimal`).
    expect(a.status.columns).toEqual(d.status.columns?.map((c) => ({ name: c.name, type: athenaColumnType(c.type).Type })));
    expect(a.rows.length).toBe(d.rows.length);
    expect(sorted(a.rows)).toEqual(sorted(d.rows));
  });

  it('finds something with most built-in queries, so the comparison is not of empty results', async () => {
    let nonEmpty = 0;
    for (const { name, sql } of QUERIES) if ((await rowsOf(duckdb, sql, `nonempty ${name}`)).rows.length > 0) nonEmpty++;
    expect(nonEmpty).toBeGreaterThan(QUERIES.length / 2);
  });
});
