import { mkdir, mkdtemp, readdir, readFile, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DateWindow } from '@access-monitor/contracts';
import { createDuckDbEngine } from '../duckdb-engine';
import { writeFixtureParquet } from '../fixture-parquet';
import type { FixtureEvent } from '../../query-engine.fixture';
import type { EnginePathChoice, ExecutionStatus, QueryEngine } from '../../query-engine';

const WINDOW: DateWindow = { start: '2024-02-25', end: '2024-03-05' };

const login = (uid: string, time: string, user: string): FixtureEvent => ({
  uid,
  session_id: '',
  event_type: 'user.login',
  event_time: time,
  event_data: JSON.stringify({ uid, event: 'user.login', time, user, success: true, method: 'local' }),
  user,
});

let root: string;
let dataDir: string;
let typedDir: string;
let engine: QueryEngine;

async function open(): Promise<QueryEngine> {
  return createDuckDbEngine({ dataDir, resultsDir: path.join(root, 'results'), typedDir, threads: 1 });
}

/** Writes events as one more chunk of their day (writeFixtureParquet names chunks chunk-0/1; each call gets its own folder first). */
async function addChunk(events: FixtureEvent[], name: string): Promise<void> {
  const staging = path.join(root, `staging-${name}`);
  await writeFixtureParquet(events, staging);
  for (const date of await readdir(staging)) {
    await mkdir(path.join(dataDir, date), { recursive: true });
    for (const file of await readdir(path.join(staging, date))) {
      await writeFile(path.join(dataDir, date, `${name}-${file}`), await readFile(path.join(staging, date, file)));
    }
  }
}

async function run(sql: string, enginePath: EnginePathChoice = 'typed'): Promise<{ status: ExecutionStatus; rows: unknown[][] }> {
  const { id } = await engine.start({ sql, window: WINDOW, token: `${Math.random()}`, enginePath });
  for (;;) {
    const status = await engine.status(id);
    if (status.state === 'SUCCEEDED') return { status, rows: (await engine.page(id, 0, 1000)).rows };
    if (status.state === 'FAILED' || status.state === 'CANCELLED') return { status, rows: [] };
    await new Promise((r) => setTimeout(r, 10));
  }
}

const USERS = `SELECT "user", count(*) AS n FROM user_login GROUP BY 1 ORDER BY 1`;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'am-typed-store-'));
  dataDir = path.join(root, 'events');
  typedDir = path.join(root, 'typed');
  await addChunk([login('a1', '2024-02-28T10:00:00.000Z', 'alice'), login('b1', '2024-03-01T10:00:00.000Z', 'bob'), login('b2', '2024-03-02T11:00:00.000Z', 'bob')], 'first');
  engine = await open();
});

afterEach(async () => {
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

describe('typed event store', () => {
  it('reads by JSON until built, then from typed files with the same rows, and says which', async () => {
    const before = await run(USERS);
    expect(before.status.enginePath).toEqual({ typedDays: 0, jsonDays: 3 });
    const built = await engine.typedStore!.sync();
    expect(built).toMatchObject({ daysBuilt: 3, events: 3 });
    const after = await run(USERS);
    expect(after.status.enginePath).toEqual({ typedDays: 3, jsonDays: 0 });
    expect(after.rows).toEqual(before.rows);
    expect(after.rows).toEqual([['alice', 1], ['bob', 2]]);
    expect(engine.typedStore!.status()).toMatchObject({ building: false, daysCovered: 3, daysTotal: 3 });
  });

  it('a new chunk is read by JSON at once and added alone at the next sync', async () => {
    await engine.typedStore!.sync();
    await addChunk([login('c1', '2024-03-01T12:00:00.000Z', 'carol')], 'second');
    const mixed = await run(USERS);
    expect(mixed.status.enginePath).toEqual({ typedDays: 2, jsonDays: 1 });
    expect(mixed.rows).toEqual([['alice', 1], ['bob', 2], ['carol', 1]]);
    const appended = await engine.typedStore!.sync();
    expect(appended).toMatchObject({ daysBuilt: 1, events: 1 }); // only the new chunk's rows
    const typed = await run(USERS);
    expect(typed.status.enginePath).toEqual({ typedDays: 3, jsonDays: 0 });
    expect(typed.rows).toEqual(mixed.rows);
  });

  it('a changed or deleted chunk stops counting at once and its month is rebuilt', async () => {
    await engine.typedStore!.sync();
    const day = path.join(dataDir, '2024-03-01');
    const [chunk] = await readdir(day);
    await rm(path.join(day, chunk!));
    const gone = await run(USERS);
    expect(gone.rows).toEqual([['alice', 1], ['bob', 1]]);
    expect(gone.status.enginePath?.jsonDays).toBeGreaterThan(0);
    await engine.typedStore!.sync();
    const rebuilt = await run(USERS);
    expect(rebuilt.status.enginePath).toEqual({ typedDays: 2, jsonDays: 0 });
    expect(rebuilt.rows).toEqual(gone.rows);

    // Rewritten in place (same name, new content and mtime).
    await addChunk([login('a2', '2024-02-28T11:00:00.000Z', 'alice')], 'again');
    await engine.typedStore!.sync();
    const [feb] = (await readdir(path.join(dataDir, '2024-02-28'))).sort();
    await writeFixtureParquet([login('z1', '2024-02-28T09:00:00.000Z', 'zed')], path.join(root, 'rewrite'));
    await writeFile(path.join(dataDir, '2024-02-28', feb!), await readFile(path.join(root, 'rewrite', '2024-02-28', 'chunk-0.parquet')));
    await utimes(path.join(dataDir, '2024-02-28', feb!), new Date(), new Date(Date.now() + 5000));
    const changed = await run(USERS, 'typed');
    const json = await run(USERS, 'json');
    expect(changed.rows).toEqual(json.rows);
    expect(changed.rows.map((r) => r[0])).toContain('zed');
  });

  it('a typed file truncated by a crash is never served: the query falls back to JSON and the month is rebuilt', async () => {
    await engine.typedStore!.sync();
    const segments = path.join(typedDir, 'segments');
    const files: string[] = [];
    for (const month of await readdir(segments)) for (const id of await readdir(path.join(segments, month))) for (const f of await readdir(path.join(segments, month, id))) files.push(path.join(segments, month, id, f));
    for (const f of files) await truncate(f, 10);
    const result = await run(USERS);
    expect(result.status.state).toBe('SUCCEEDED');
    expect(result.rows).toEqual([['alice', 1], ['bob', 2]]);
    expect(result.status.enginePath).toEqual({ typedDays: 0, jsonDays: 3 });
    await engine.typedStore!.sync();
    expect((await run(USERS)).status.enginePath).toEqual({ typedDays: 3, jsonDays: 0 });
  });

  it('a corrupt source chunk leaves only its day untyped; queries over that day name the file', async () => {
    await mkdir(path.join(dataDir, '2024-03-04'), { recursive: true });
    await writeFile(path.join(dataDir, '2024-03-04', 'broken.parquet'), 'PAR1 not really parquet');
    await engine.typedStore!.sync();
    expect(engine.typedStore!.status().lastError).toMatch(/2024-03-04/);
    const window = await run(USERS);
    expect(window.status.state).toBe('FAILED');
    expect(window.status.error?.message).toContain('broken.parquet');
    const others = await engine.start({ sql: USERS, window: { start: '2024-02-25', end: '2024-03-03' }, token: 'others' });
    let status = await engine.status(others.id);
    while (status.state === 'QUEUED' || status.state === 'RUNNING') {
      await new Promise((r) => setTimeout(r, 10));
      status = await engine.status(others.id);
    }
    expect(status.state).toBe('SUCCEEDED');
    expect(status.enginePath).toEqual({ typedDays: 3, jsonDays: 0 });
  });

  it('a manifest from another catalog version is ignored and rebuilt; a crash before the manifest leaves the old state readable', async () => {
    await engine.typedStore!.sync();
    const manifest = path.join(typedDir, 'months', '2024-03.json');
    const parsed = JSON.parse(await readFile(manifest, 'utf8')) as { catalog: string };
    await writeFile(manifest, JSON.stringify({ ...parsed, catalog: 'older-catalog' }));
    // An orphan segment, as a build killed before writing its manifest leaves it.
    await mkdir(path.join(typedDir, 'segments', '2024-03', 'orphan'), { recursive: true });
    await writeFile(path.join(typedDir, 'segments', '2024-03', 'orphan', 'user_login.parquet'), 'half');
    const old = await run(USERS);
    expect(old.status.enginePath).toEqual({ typedDays: 1, jsonDays: 2 });
    expect(old.rows).toEqual([['alice', 1], ['bob', 2]]);
    await engine.typedStore!.sync();
    expect((await run(USERS)).status.enginePath).toEqual({ typedDays: 3, jsonDays: 0 });
  });
});
