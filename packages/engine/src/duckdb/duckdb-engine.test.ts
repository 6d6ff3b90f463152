// A zone far from UTC for this test process: if the engine relied on the machine's zone, the
// UTC-midnight events of the fixture would land in the wrong day and the window counts would change.
process.env.TZ = 'America/New_York';

import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DataUnavailable, EngineBusy, EngineClosed, IdempotencyConflict, ScanLimitExceeded } from '../errors';
import type { QueryEngine } from '../query-engine';
import { describeQueryEngineContract, waitForState } from '../query-engine.contract';
import { queryEngineFixture } from '../query-engine.fixture';
import { createDuckDbEngine, openEngineInstance, type DuckDbEngineOptions, type EngineInstance } from './duckdb-engine';
import { writeFixtureParquet } from './fixture-parquet';

const roots: string[] = [];
async function tempRoot(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'duckdb-engine-'));
  roots.push(root);
  return root;
}
afterAll(async () => {
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

/** The fixture as Parquet, written once and copied for tests that change their data folder. */
let fixtureData: string | undefined;
async function fixtureDataDir(): Promise<string> {
  if (!fixtureData) {
    fixtureData = path.join(await tempRoot(), 'events');
    await writeFixtureParquet(queryEngineFixture().events, fixtureData);
  }
  const copy = path.join(await tempRoot(), 'events');
  await cp(fixtureData, copy, { recursive: true });
  return copy;
}

describeQueryEngineContract('duckdb', async (fixture) => {
  const root = await tempRoot();
  await writeFixtureParquet(fixture.events, path.join(root, 'events'));
  return createDuckDbEngine({ dataDir: path.join(root, 'events'), resultsDir: path.join(root, 'results'), threads: 2 });
});

describe('DuckDB sandbox', () => {
  let opened: EngineInstance;
  let connection: DuckDBConnection;
  let root: string;

  beforeAll(async () => {
    root = await tempRoot();
    await writeFixtureParquet(queryEngineFixture().events.slice(0, 10), path.join(root, 'events'));
    opened = await openEngineInstance({ dataDir: path.join(root, 'events'), resultsDir: path.join(root, 'results') });
    connection = await opened.instance.connect();
  });
  afterAll(async () => {
    connection.closeSync();
    await opened.close();
  });

  const refused = async (sql: string): Promise<string> => {
    try {
      await connection.run(sql);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error(`the sandbox ran: ${sql}`);
  };

  it('reads the data folder and writes the results folder', async () => {
    const reader = await connection.runAndReadAll(`SELECT count(*) FROM read_parquet('${opened.dataDir}/*/*.parquet')`);
    expect(Number(reader.getRows()[0]![0])).toBe(10);
    await connection.run(`COPY (SELECT 1) TO '${opened.resultsDir}/allowed.csv' (FORMAT csv)`);
  });

  it('refuses to read files outside the allowed folders', async () => {
    expect(await refused(`SELECT * FROM read_text('/etc/passwd')`)).toMatch(/Permission Error/);
    expect(await refused(`SELECT * FROM read_parquet('/etc/hostname')`)).toMatch(/Permission Error/);
    expect(await refused(`SELECT * FROM read_csv('${opened.dataDir}/../../../etc/passwd')`)).toMatch(/Permission Error/);
  });

  it('refuses to write outside the results folder', async () => {
    expect(await refused(`COPY (SELECT 1) TO '${path.join(tmpdir(), 'sandbox-escape.csv')}' (FORMAT csv)`)).toMatch(/Permission Error/);
    expect(await refused(`COPY (SELECT 1) TO '${opened.resultsDir}/../escape.csv' (FORMAT csv)`)).toMatch(/Permission Error/);
  });

  it('refuses to install or load extensions', async () => {
    expect(await refused(`INSTALL httpfs`)).toMatch(/Permission Error|disabled/);
    expect(await refused(`LOAD httpfs`)).toMatch(/disabled/);
  });

  it('refuses to change any setting once locked', async () => {
    expect(await refused(`SET enable_external_access = true`)).toMatch(/locked/);
    expect(await refused(`SET allowed_directories = ['/']`)).toMatch(/locked/);
    expect(await refused(`RESET lock_configuration`)).toMatch(/locked/);
    expect(await refused(`SET TimeZone = 'America/New_York'`)).toMatch(/locked/);
  });

  it('refuses to attach a database outside the allowed folders', async () => {
    expect(await refused(`ATTACH '${path.join(tmpdir(), 'sandbox-escape.db')}' AS escape`)).toMatch(/Permission Error/);
  });

  it('gives every new connection UTC, integer division and the Trino compatibility macros', async () => {
    const fresh = await opened.instance.connect();
    try {
      const reader = await fresh.runAndReadAll(`SELECT current_setting('TimeZone'), 7 / 2, cardinality(['a', 'b']), CAST(TIMESTAMPTZ '2024-03-01 00:30:00+00' AS DATE)`);
      expect(reader.getRowsJson()[0]).toEqual(['UTC', 3, '2', '2024-03-01']);
    } finally {
      fresh.closeSync();
    }
  });
});

describe('DuckDB engine', () => {
  const engines: QueryEngine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()));
  });

  async function engineOver(dataDir: string, resultsDir?: string, options: Partial<Omit<DuckDbEngineOptions, 'dataDir' | 'resultsDir'>> = {}) {
    const results = resultsDir ?? path.join(await tempRoot(), 'results');
    const engine = await createDuckDbEngine({ dataDir, resultsDir: results, threads: 2, ...options });
    engines.push(engine);
    return { engine, resultsDir: results };
  }

  const window = { start: '2024-03-01', end: '2024-03-10' };
  const countSql = `SELECT count(*) AS n FROM audit_events`;
  const longSql = `SELECT count(*) AS n FROM audit_events a, audit_events b, audit_events c, audit_events d WHERE length(a.uid || b.uid || c.uid || d.uid) > 1000`;

  it('refuses to start over a data folder that does not exist, naming it', async () => {
    const missing = path.join(await tempRoot(), 'no-such-folder');
    await expect(createDuckDbEngine({ dataDir: missing, resultsDir: path.join(await tempRoot(), 'results') })).rejects.toThrow(DataUnavailable);
    await expect(createDuckDbEngine({ dataDir: missing, resultsDir: path.join(await tempRoot(), 'results') })).rejects.toThrow(missing);
  });

  it('refuses queries with DataUnavailable once the data folder is gone', async () => {
    const dataDir = await fixtureDataDir();
    const { engine } = await engineOver(dataDir);
    await rename(dataDir, `${dataDir}-moved`);
    await expect(engine.start({ sql: countSql, window, token: 'gone' })).rejects.toThrow(DataUnavailable);
  });

  it('fails a query over a corrupt Parquet file with a clear message, while other windows still work', async () => {
    const dataDir = await fixtureDataDir();
    await writeFile(path.join(dataDir, '2024-03-05', 'broken.parquet'), 'this is not parquet');
    const { engine, resultsDir } = await engineOver(dataDir);
    const { id } = await engine.start({ sql: countSql, window, token: 'corrupt' });
    const failed = await waitForState(engine, id);
    expect(failed.state).toBe('FAILED');
    expect(failed.error?.code).toBe('ENGINE_FAILED');
    expect(failed.error?.message).toContain('2024-03-05/broken.parquet');
    expect(failed.error?.message).not.toContain(dataDir);
    expect(failed.error?.message).not.toContain(resultsDir);
    const { id: other } = await engine.start({ sql: countSql, window: { start: '2024-03-01', end: '2024-03-04' }, token: 'other-window' });
    const ok = await waitForState(engine, other);
    expect(ok.state).toBe('SUCCEEDED');
    expect((await engine.page(other, 0, 1)).rows).toEqual([[120]]);
  });

  it('ignores temporary and hidden files in the date folders', async () => {
    const dataDir = await fixtureDataDir();
    await writeFile(path.join(dataDir, '2024-03-05', '.chunk-9.parquet.tmp'), 'half written');
    await writeFile(path.join(dataDir, '2024-03-05', '.hidden.parquet'), 'half written');
    const { engine } = await engineOver(dataDir);
    const { id } = await engine.start({ sql: countSql, window, token: 'tmp-files' });
    expect((await waitForState(engine, id)).state).toBe('SUCCEEDED');
  });

  it('reports the size of the Parquet files of the window as bytes scanned, and 0 for a statement reading no view', async () => {
    const dataDir = await fixtureDataDir();
    const { engine } = await engineOver(dataDir);
    let expected = 0;
    for (const date of ['2024-03-02', '2024-03-03']) {
      for (const f of await readdir(path.join(dataDir, date))) expected += (await readFile(path.join(dataDir, date, f))).length;
    }
    expect(await engine.estimateBytes!({ start: '2024-03-02', end: '2024-03-03' })).toBe(expected);
    const { id } = await engine.start({ sql: countSql, window: { start: '2024-03-02', end: '2024-03-03' }, token: 'bytes' });
    expect((await waitForState(engine, id)).bytesScanned).toBe(expected);
    const { id: noView } = await engine.start({ sql: 'SELECT 1 AS one', window, token: 'no-view' });
    expect((await waitForState(engine, noView)).bytesScanned).toBe(0);
  });

  it('refuses a statement that would scan more than maxBytesScanned, naming the limit and the estimate', async () => {
    const { engine } = await engineOver(await fixtureDataDir());
    const start = engine.start({ sql: countSql, window, token: 'over', maxBytesScanned: 1000 });
    await expect(start).rejects.toThrow(ScanLimitExceeded);
    await expect(engine.start({ sql: countSql, window, token: 'over-2', maxBytesScanned: 1000 })).rejects.toThrow(/over the limit of 1000 B \(1000 bytes\)/);
    const { id } = await engine.start({ sql: 'SELECT 1 AS one', window, token: 'under', maxBytesScanned: 1000 });
    expect((await waitForState(engine, id)).state).toBe('SUCCEEDED');
  });

  it('writes the CSV, its metadata and the status beside each other, and leaves no temporary files', async () => {
    const { engine, resultsDir } = await engineOver(await fixtureDataDir());
    const { id } = await engine.start({ sql: `SELECT "user", count(*) FROM audit_events GROUP BY 1 ORDER BY 1`, window, token: 'files' });
    await waitForState(engine, id);
    const { id: failed } = await engine.start({ sql: 'SELECT nope FROM audit_events', window, token: 'files-failed' });
    await waitForState(engine, failed);
    const files = (await readdir(resultsDir)).sort();
    expect(files).toEqual([`${failed}.status.json`, `${id}.csv`, `${id}.csv.metadata.json`, `${id}.status.json`].sort());
    expect(JSON.parse(await readFile(path.join(resultsDir, `${id}.csv.metadata.json`), 'utf8'))).toEqual({
      columns: [
        { name: 'user', type: 'varchar' },
        { name: '_col1', type: 'bigint' },
      ],
      rowCount: 5,
    });
  });

  it('remembers executions across a restart, and reports those it was running as interrupted', async () => {
    const dataDir = await fixtureDataDir();
    const resultsDir = path.join(await tempRoot(), 'results');
    const first = await engineOver(dataDir, resultsDir);
    const { id } = await first.engine.start({ sql: countSql, window, token: 'restart' });
    await waitForState(first.engine, id);
    const stored = JSON.parse(await readFile(path.join(resultsDir, `${id}.status.json`), 'utf8')) as Record<string, unknown>;
    await first.engine.close();
    const interrupted = '11111111-2222-4333-8444-555555555555';
    await writeFile(path.join(resultsDir, `${interrupted}.status.json`), JSON.stringify({ ...stored, id: interrupted, state: 'RUNNING', finishedAt: undefined }));

    const second = await engineOver(dataDir, resultsDir);
    const status = await second.engine.status(id);
    expect(status).toMatchObject({ state: 'SUCCEEDED', sql: countSql, window, rowCount: 1 });
    expect(status.bytesScanned).toBeGreaterThan(0);
    expect((await second.engine.page(id, 0, 1)).rows).toEqual([[301]]);
    const lost = await second.engine.status(interrupted);
    expect(lost.state).toBe('FAILED');
    expect(lost.error?.code).toBe('INTERRUPTED_BY_RESTART');
  });

  it('queues executions beyond its concurrency and runs them in turn; a queued one can be cancelled', async () => {
    const { engine } = await engineOver(await fixtureDataDir(), undefined, { maxConcurrent: 1 });
    const long = await engine.start({ sql: longSql, window, token: 'long' });
    await waitForState(engine, long.id, ['RUNNING']);
    const queued = await engine.start({ sql: countSql, window, token: 'queued' });
    const dropped = await engine.start({ sql: countSql, window, token: 'dropped' });
    expect((await engine.status(queued.id)).state).toBe('QUEUED');
    await engine.cancel(dropped.id);
    expect((await engine.status(dropped.id)).state).toBe('CANCELLED');
    await engine.cancel(long.id);
    expect((await waitForState(engine, queued.id)).state).toBe('SUCCEEDED');
    expect((await engine.status(long.id)).state).toBe('CANCELLED');
  });

  it('keeps repeated and quoted column names in the header as the query wrote them', async () => {
    const { engine } = await engineOver(await fixtureDataDir());
    const { id } = await engine.start({ sql: `SELECT "user", "user", 1 AS "say ""hi""" FROM audit_events ORDER BY uid LIMIT 2`, window, token: 'names' });
    const status = await waitForState(engine, id);
    expect(status.columns?.map((c) => c.name)).toEqual(['user', 'user', 'say "hi"']);
    const chunks: Buffer[] = [];
    for await (const chunk of await engine.csv(id)) chunks.push(chunk as Buffer);
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    expect(lines[0]).toBe('"user","user","say ""hi"""');
    expect(lines.slice(1)).toEqual(['"alice","alice","1"', '"alice","alice","1"', '']);
  });

  it('refuses new executions with EngineBusy when its queue is full', async () => {
    const { engine } = await engineOver(await fixtureDataDir(), undefined, { maxConcurrent: 1, maxQueued: 1 });
    const long = await engine.start({ sql: longSql, window, token: 'busy-long' });
    await waitForState(engine, long.id, ['RUNNING']);
    await engine.start({ sql: countSql, window, token: 'busy-queued' });
    await expect(engine.start({ sql: countSql, window, token: 'busy-refused' })).rejects.toThrow(EngineBusy);
    await engine.cancel(long.id);
  });

  it('cancels what it runs when closed, and refuses new executions after', async () => {
    const { engine } = await engineOver(await fixtureDataDir());
    const { id } = await engine.start({ sql: longSql, window, token: 'closing' });
    await waitForState(engine, id, ['RUNNING']);
    await engine.close();
    expect((await engine.status(id)).state).toBe('CANCELLED');
    await expect(engine.start({ sql: countSql, window, token: 'after-close' })).rejects.toThrow(EngineClosed);
  });

  it('refuses a reused token for a different statement', async () => {
    const { engine } = await engineOver(await fixtureDataDir());
    const { id } = await engine.start({ sql: countSql, window, token: 'reused' });
    await expect(engine.start({ sql: 'SELECT 2 AS two', window, token: 'reused' })).rejects.toThrow(IdempotencyConflict);
    await waitForState(engine, id);
  });

  it('keeps the ORDER BY of a result spanning many DuckDB vectors, through the Athena-text projection', async () => {
    const { engine } = await engineOver(await fixtureDataDir());
    const sql = `SELECT a.uid AS x, b.event_time AS t FROM audit_events a CROSS JOIN audit_events b ORDER BY t DESC, x`;
    const { id } = await engine.start({ sql, window, token: 'big-order' });
    const status = await waitForState(engine, id);
    expect(status.rowCount).toBe(301 * 301);
    let previous: [string, string] | undefined;
    let rows = 0;
    let outOfOrder = 0;
    for (let offset = 0; offset < status.rowCount!; offset += 10_000) {
      for (const [x, t] of (await engine.page(id, offset, 10_000)).rows as Array<[string, string]>) {
        if (previous && !(t < previous[1] || (t === previous[1] && x > previous[0]))) outOfOrder++;
        previous = [x, t];
        rows++;
      }
    }
    expect(rows).toBe(301 * 301);
    expect(outOfOrder).toBe(0);
  });

  it('runs EXPLAIN and writes the plan as a result', async () => {
    const { engine } = await engineOver(await fixtureDataDir());
    const { id } = await engine.start({ sql: `EXPLAIN SELECT count(*) FROM session_start`, window, token: 'explain' });
    const status = await waitForState(engine, id);
    expect(status.state).toBe('SUCCEEDED');
    const page = await engine.page(id, 0, 10);
    expect(page.rows.length).toBeGreaterThan(0);
    expect(page.columns.every((c) => c.type === 'varchar')).toBe(true);
  });

  it('shows no server folder in EXPLAIN ANALYZE, even where the plan wraps a file name over several lines', async () => {
    // A long folder name, so DuckDB's plan boxes wrap it.
    const dataDir = path.join(await tempRoot(), 'server-secret-folder-name-that-wraps', 'events');
    await cp(await fixtureDataDir(), dataDir, { recursive: true });
    const { engine, resultsDir } = await engineOver(dataDir);
    for (const sql of ['EXPLAIN ANALYZE SELECT count(*) FROM session_start', 'EXPLAIN SELECT * FROM audit_events']) {
      const { id } = await engine.start({ sql, window, token: `explain-paths-${sql.length}` });
      expect((await waitForState(engine, id)).state).toBe('SUCCEEDED');
      const text = (await engine.page(id, 0, 100)).rows.flat().join('\n');
      // Joined without box drawing and line breaks, as someone reassembling a wrapped name would read it.
      const unwrapped = text.replace(/[│┌┐└┘─┬┴├┤\s]/g, '');
      for (const secret of [dataDir, resultsDir, 'server-secret-folder']) {
        expect(text).not.toContain(secret);
        expect(unwrapped).not.toContain(secret.replace(/\s/g, ''));
      }
      if (sql.startsWith('EXPLAIN ANALYZE')) expect(text).toMatch(/2024-03-0\d\/[\w-]+\.parquet/);
    }
  });

  it('prints list columns as Athena does', async () => {
    const { engine } = await engineOver(await fixtureDataDir());
    const { id } = await engine.start({ sql: `SELECT participants, cardinality(participants) AS n FROM session_end WHERE "user" = 'alice' LIMIT 1`, window, token: 'lists' });
    const status = await waitForState(engine, id);
    expect(status.columns).toEqual([
      { name: 'participants', type: 'array(varchar)' },
      { name: 'n', type: 'bigint' },
    ]);
    expect((await engine.page(id, 0, 1)).rows).toEqual([['[alice]', 1]]);
  });

  it('keeps serving after a failed query, with DuckDB\'s message for a conversion error', async () => {
    const { engine } = await engineOver(await fixtureDataDir());
    const { id } = await engine.start({ sql: `SELECT CAST(uid AS integer) AS n FROM audit_events`, window, token: 'conversion' });
    const failed = await waitForState(engine, id);
    expect(failed.state).toBe('FAILED');
    expect(failed.error?.message).toMatch(/Conversion Error/);
    expect(failed.error?.message).not.toMatch(/LINE \d+:/);
    const { id: next } = await engine.start({ sql: countSql, window, token: 'after-failure' });
    expect((await waitForState(engine, next)).state).toBe('SUCCEEDED');
  });

  it('fails a statement needing more memory than memory_limit with an out-of-memory error, without the process growing past it, and keeps serving', async () => {
    const { engine } = await engineOver(await fixtureDataDir(), undefined, { memoryLimit: '128MiB', threads: 1 });
    const before = process.memoryUsage().rss;
    // A 20M-element list aggregate needs ~160 MB of DuckDB buffers.
    const { id } = await engine.start({ sql: 'SELECT len(list(a.x + b.y)) AS n FROM (SELECT unnest(range(1000000)) AS x) AS a, (SELECT unnest(range(20)) AS y) AS b', window, token: 'memory-hog' });
    const failed = await waitForState(engine, id, undefined, 120_000);
    expect(failed.state).toBe('FAILED');
    expect(failed.error?.message).toMatch(/out of memory/i);
    expect(process.memoryUsage().rss - before).toBeLessThan(1.5 * 1024 ** 3);
    const { id: next } = await engine.start({ sql: 'SELECT 1 AS n', window, token: 'after-memory-hog' });
    expect((await waitForState(engine, next)).state).toBe('SUCCEEDED');
  });

  it('stops a statement running past its timeoutMs with QUERY_TIMEOUT though nobody waits for it, and keeps serving', async () => {
    const { engine } = await engineOver(await fixtureDataDir());
    const { id } = await engine.start({ sql: longSql, window, token: 'runaway', timeoutMs: 500 });
    const failed = await waitForState(engine, id, undefined, 60_000);
    expect(failed.state).toBe('FAILED');
    expect(failed.error?.code).toBe('QUERY_TIMEOUT');
    const { id: next } = await engine.start({ sql: countSql, window, token: 'after-runaway' });
    expect((await waitForState(engine, next)).state).toBe('SUCCEEDED');
  });

  it('stops a result growing past maxResultBytes with RESULT_TOO_LARGE and keeps no part of it', async () => {
    const { engine, resultsDir } = await engineOver(await fixtureDataDir(), undefined, { maxResultBytes: 64 * 1024 });
    const { id } = await engine.start({ sql: `SELECT repeat('x', 1000) AS s FROM (SELECT unnest(range(200000)) AS i) AS t`, window, token: 'huge-result' });
    const failed = await waitForState(engine, id, undefined, 60_000);
    expect(failed.state).toBe('FAILED');
    expect(failed.error?.code).toBe('RESULT_TOO_LARGE');
    expect((await readdir(resultsDir)).filter((f) => !f.endsWith('.status.json'))).toEqual([]);
    const { id: small } = await engine.start({ sql: countSql, window, token: 'small-result' });
    expect((await waitForState(engine, small)).state).toBe('SUCCEEDED');
  });

  it('refuses ids that are not execution ids before touching the file system', async () => {
    const { engine, resultsDir } = await engineOver(await fixtureDataDir());
    await mkdir(path.join(resultsDir, 'sub'), { recursive: true });
    await writeFile(path.join(resultsDir, 'sub', 'x.status.json'), '{}');
    await expect(engine.status('sub/x')).rejects.toThrow(/no execution/);
  });
});
