import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFsObjectStore, type ObjectStore } from '@access-monitor/storage';
import { executionKeys } from '../store-layout';
import { createExecutionLog, type ExecutionRecord } from './execution-log';

/** The store, counting the objects read. */
function counting(store: ObjectStore): ObjectStore & { reads: number } {
  const c = Object.create(store) as ObjectStore & { reads: number };
  c.reads = 0;
  c.getJson = <T>(key: string) => {
    c.reads++;
    return store.getJson<T>(key);
  };
  return c;
}

const recordOf = (i: number, user: string): ExecutionRecord => ({
  id: `e${String(i).padStart(4, '0')}`,
  user,
  sql: `SELECT ${i} AS n`,
  window: { start: '2026-01-01', end: '2026-01-14' },
  engine: 'duckdb',
  submittedAt: new Date(Date.parse('2026-01-14T00:00:00Z') + i * 1000).toISOString(),
});

describe('the execution history', () => {
  let root: string;
  let store: ObjectStore & { reads: number };
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-history-'));
    store = counting(createFsObjectStore(root, { durable: false }));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("pages everyone's history by key, reading only the records on each page", async () => {
    const log = createExecutionLog(store);
    const users = ['alice', 'bob', 'carol'];
    for (let i = 0; i < 150; i++) await log.record(recordOf(i, users[i % 3]!));
    await log.page({ limit: 1 }); // the one-time copy of older records, if any

    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      store.reads = 0;
      const page = await log.page({ limit: 40, ...(cursor ? { cursor } : {}) });
      expect(store.reads).toBeLessThanOrEqual(40);
      seen.push(...page.records.map((r) => r.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    // Every record once, newest first across users.
    expect(seen).toEqual(Array.from({ length: 150 }, (_, i) => recordOf(149 - i, 'x').id));
  });

  it("pages one user's history by key", async () => {
    const log = createExecutionLog(store);
    for (let i = 0; i < 60; i++) await log.record(recordOf(i, i % 2 ? 'alice' : 'bob'));
    store.reads = 0;
    const first = await log.page({ user: 'alice', limit: 20 });
    expect(store.reads).toBe(20);
    const second = await log.page({ user: 'alice', limit: 20, cursor: first.nextCursor! });
    expect(second.nextCursor).toBeUndefined();
    expect([...first.records, ...second.records].map((r) => r.id)).toEqual(Array.from({ length: 30 }, (_, i) => recordOf(59 - 2 * i, 'x').id));
  });

  it('bounds a search to a fixed number of records per page and hands back a cursor to go on', async () => {
    const log = createExecutionLog(store, { maxScannedPerPage: 50 });
    for (let i = 0; i < 60; i++) await log.record(recordOf(i, 'alice'));
    store.reads = 0;
    const page = await log.page({ user: 'alice', limit: 10, matches: (r) => r.sql === 'SELECT 3 AS n' });
    expect(page.records).toEqual([]);
    expect(store.reads).toBe(50);
    const next = await log.page({ user: 'alice', limit: 10, matches: (r) => r.sql === 'SELECT 3 AS n', cursor: page.nextCursor! });
    expect(next.records.map((r) => r.id)).toEqual(['e0003']);
  });

  it("copies records written before everyone's timeline existed into it, once", async () => {
    for (let i = 0; i < 5; i++) {
      const r = recordOf(i, 'alice');
      await store.put(executionKeys.record(r.user, Date.parse(r.submittedAt), r.id), JSON.stringify(r));
    }
    const log = createExecutionLog(store);
    await log.record(recordOf(5, 'bob'));
    expect((await log.page({ limit: 10 })).records.map((r) => r.id)).toEqual(['e0005', 'e0004', 'e0003', 'e0002', 'e0001', 'e0000']);
    store.reads = 0;
    await createExecutionLog(store).page({ limit: 2 });
    expect(store.reads).toBe(2);
  });
});
