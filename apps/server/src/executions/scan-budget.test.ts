import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueryEngine } from '@access-monitor/engine';
import { createFsObjectStore, type ObjectStore } from '@access-monitor/storage';
import { ProblemTypes } from '@access-monitor/contracts';
import { ScanBudgetExhausted } from './execution-errors';
import { scanBudgetKeys } from '../store-layout';
import { startTestServer } from '../testing/test-server';
import { createScanBudget } from './scan-budget';

const WINDOW = { start: '2026-01-01', end: '2026-01-08' };
/** An engine whose every window holds 100 bytes; nothing else is called. */
const engine = { name: 'duckdb', estimateBytes: () => Promise.resolve(100) } as unknown as QueryEngine;
const HOUR = 3_600_000;

let dir: string;
let store: ObjectStore;
let at: number;
const now = () => new Date(at);
const budget = () => createScanBudget({ store, engine, limit: { bytes: 1_000, refillAfterMs: HOUR }, now });

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'scan-budget-'));
  store = createFsObjectStore(dir);
  at = Date.parse('2026-01-14T10:15:00Z');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('scan budget', () => {
  it('is shared by instances: ten concurrent 100-byte queries from two instances spend it exactly, the next is refused until the refill', async () => {
    const [a, b] = [budget(), budget()];
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).reserve(WINDOW)));
    expect(await a.state()).toEqual({ bytes: 1_000, usedBytes: 1_000, leftBytes: 0, refillsAt: '2026-01-14T11:00:00.000Z' });
    const refused = await b.reserve(WINDOW).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ScanBudgetExhausted);
    expect((refused as ScanBudgetExhausted).retryAfterSeconds).toBe(45 * 60);
    await expect(a.ensureLeft()).rejects.toBeInstanceOf(ScanBudgetExhausted);

    at = Date.parse('2026-01-14T11:00:00Z');
    await b.reserve(WINDOW);
    expect((await a.state()).usedBytes).toBe(100);
  });

  it('refuses a query that would overdraw what is left', async () => {
    const small = createScanBudget({ store, engine, limit: { bytes: 150, refillAfterMs: HOUR }, now });
    await small.reserve(WINDOW);
    await expect(small.reserve(WINDOW)).rejects.toBeInstanceOf(ScanBudgetExhausted);
    await expect(small.ensureLeft()).resolves.toBeUndefined();
  });
});

describe('scan budget over HTTP', () => {
  it('answers 429 …/scan-budget-exhausted with Retry-After to queries and report refreshes once another instance spent it', async () => {
    const clock = () => new Date('2026-01-14T10:15:00Z');
    const t = await startTestServer({ days: 7, events: 500, clock, limits: { scanBudget: { bytes: 1_000, refillAfterMs: HOUR } } });
    try {
      await t.store.put(scanBudgetKeys.period(Date.parse('2026-01-14T10:00:00Z')), JSON.stringify({ usedBytes: 1_000 }));
      const post = (pathname: string, body: unknown) =>
        t.fetchAs('auditor', pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      for (const res of [await post('/api/v1/executions', { sql: 'SELECT count(*) AS n FROM session_start', days: 7 }), await post('/api/v1/reports/access_risk/runs', { days: 7 })]) {
        expect(res.status).toBe(429);
        expect(res.headers.get('retry-after')).toBe(String(45 * 60));
        expect(((await res.json()) as { type: string }).type).toBe(ProblemTypes.scanBudgetExhausted);
      }
      // The query editor shows it beside the scan estimate: used, left, refills at.
      const estimate = (await (await t.fetchAs('auditor', '/api/v1/executions/estimate?days=7')).json()) as { scanBudget?: unknown };
      expect(estimate.scanBudget).toEqual({ bytes: 1_000, usedBytes: 1_000, leftBytes: 0, refillsAt: '2026-01-14T11:00:00.000Z' });
    } finally {
      await t.close();
    }
  });

  it('charges only admitted queries: starts refused by max_running_per_user spend none of the budget', async () => {
    const t = await startTestServer({ days: 3, events: 1500, limits: { maxRunningPerUser: 1, scanBudget: { bytes: 1e15, refillAfterMs: HOUR } } });
    try {
      const start = () =>
        t.fetchAs('auditor', '/api/v1/executions', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sql: 'SELECT count(*) AS n FROM audit_events a, audit_events b, audit_events c WHERE length(a.uid || b.uid || c.uid) > 1000', days: 3 }),
        });
      const running = await start();
      expect(running.status).toBe(202);
      const estimate = (await (await t.fetchAs('auditor', '/api/v1/executions/estimate?days=3')).json()) as { bytes: number; scanBudget: { usedBytes: number } };
      expect(estimate.bytes).toBeGreaterThan(0);
      for (let i = 0; i < 5; i++) expect((await start()).status).toBe(429);
      const after = (await (await t.fetchAs('auditor', '/api/v1/executions/estimate?days=3')).json()) as { scanBudget: { usedBytes: number } };
      expect(after.scanBudget.usedBytes).toBe(estimate.bytes);
      const { id } = (await running.json()) as { id: string };
      await t.fetchAs('auditor', `/api/v1/executions/${id}`, { method: 'DELETE' });
    } finally {
      await t.close();
    }
  });
});
