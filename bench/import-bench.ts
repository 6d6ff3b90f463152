// Import and demo-generation figures for `npm run bench` (issue 13, item 5): `access-monitor import` of a
// Teleport JSON-lines log against DuckDB reading the same file into Parquet by itself, in the same run.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateDemoData, importAuditLog } from '@access-monitor/audit-log';
import { sqlString } from '@access-monitor/sql';

type Report = (what: string, value: string, baseline: string, ratio: string) => void;
type Goal = (what: string, target: string, measured: string, baseline: string, met: boolean) => void;

const perSecond = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en')} events/s`;

/** Writes the events of a Parquet folder as a Teleport file log: one event JSON per line, oldest first. */
async function writeJsonLog(dataDir: string, file: string, lines: number): Promise<number> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const out = createWriteStream(file);
  let written = 0;
  try {
    const result = await c.stream(`SELECT event_data FROM read_parquet(${sqlString(path.join(dataDir, '*', '*.parquet'))}) ORDER BY event_time LIMIT ${lines}`);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const text = chunk.getColumns()[0]!.map((v) => `${String(v)}\n`).join('');
      written += chunk.rowCount;
      if (!out.write(text)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'finish');
    c.closeSync();
    db.closeSync();
  }
  return written;
}

/**
 * Import of a Teleport JSON log of `lines` events (made from demo data in `dataDir`, or generated here),
 * with two DuckDB baselines over the same file: the same Athena columns from `read_json_objects`, and
 * `read_json` with its own schema detection, each written to Parquet.
 */
export async function benchImport(ctx: { lines: number; dataDir?: string; report: Report; goal: Goal }): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-bench-import-'));
  try {
    let source = ctx.dataDir;
    if (!source) {
      source = path.join(root, 'demo');
      await generateDemoData({ out: source, days: 90, events: ctx.lines, seed: 1, end: new Date().toISOString().slice(0, 10) });
    }
    const log = path.join(root, 'teleport-audit.log');
    const lines = await writeJsonLog(source, log, ctx.lines);
    const mb = (await stat(log)).size / 1024 ** 2;

    const t0 = performance.now();
    const imported = await importAuditLog({ out: path.join(root, 'imported'), inputs: [log] });
    const importMs = performance.now() - t0;
    if (imported.imported !== lines) throw new Error(`import wrote ${imported.imported} of ${lines} events (${imported.rejected.length} rejected)`);

    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const t1 = performance.now();
    await c.run(`COPY (
        SELECT coalesce(json ->> '$.uid', '') AS uid, coalesce(json ->> '$.sid', '') AS session_id, json ->> '$.event' AS event_type,
          CAST(CAST(json ->> '$.time' AS TIMESTAMPTZ) AS TIMESTAMP) AS event_time, CAST(json AS VARCHAR) AS event_data, coalesce(json ->> '$.user', '') AS "user"
        FROM read_json_objects(${sqlString(log)}, format = 'newline_delimited')
      ) TO ${sqlString(path.join(root, 'objects.parquet'))} (FORMAT parquet, COMPRESSION snappy)`);
    const objectsMs = performance.now() - t1;
    let readJsonMs: number | undefined;
    let readJsonError = '';
    try {
      const t2 = performance.now();
      await c.run(`COPY (SELECT * FROM read_json(${sqlString(log)}, format = 'newline_delimited')) TO ${sqlString(path.join(root, 'read-json.parquet'))} (FORMAT parquet, COMPRESSION snappy)`);
      readJsonMs = performance.now() - t2;
    } catch (e) {
      readJsonError = (e as Error).message.split('\n')[0]!;
    }
    c.closeSync();
    db.closeSync();

    const what = `import of a ${lines.toLocaleString('en')}-line Teleport JSON log (${mb.toFixed(0)} MB)`;
    ctx.report(what, perSecond(lines, importMs), `DuckDB read_json_objects → Athena columns → Parquet ${perSecond(lines, objectsMs)}`, `${(objectsMs / importMs).toFixed(2)}× DuckDB's speed`);
    if (readJsonMs !== undefined) ctx.report(`${what} vs read_json`, perSecond(lines, importMs), `DuckDB read_json (own schema) → Parquet ${perSecond(lines, readJsonMs)}`, `${(readJsonMs / importMs).toFixed(2)}× DuckDB's speed`);
    else console.log(`  (DuckDB read_json with its own schema failed on this file: ${readJsonError})`);
    ctx.goal(`import of ${lines.toLocaleString('en')} lines`, '≥ 100,000 events/s', perSecond(lines, importMs), `import wall time ${(importMs / 1000).toFixed(1)} s`, lines / (importMs / 1000) >= 100_000);
    const baselineMs = Math.min(objectsMs, readJsonMs ?? Infinity);
    ctx.goal(
      `import vs DuckDB reading the same file into Parquet`,
      '≥ 0.5× DuckDB’s speed',
      `${(baselineMs / importMs).toFixed(2)}×`,
      `DuckDB ${perSecond(lines, baselineMs)} (the faster of read_json_objects and read_json)`,
      baselineMs / importMs >= 0.5,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
