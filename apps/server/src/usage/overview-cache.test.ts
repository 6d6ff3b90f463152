import { describe, expect, it } from 'vitest';
import type { DateWindow } from '@access-monitor/contracts';
import { ServingCache } from '../http/serving-cache';
import { createOverviewCache } from './overview-cache';

const WINDOW: DateWindow = { start: '2026-01-08', end: '2026-01-14' };
const body = (json: { body: Buffer }) => JSON.parse(json.body.toString()) as { build: number };

describe('overview cache', () => {
  it('computes an overview once per window and data version, for every user, and again when events arrive', async () => {
    let version = 'v1';
    let builds = 0;
    const overviews = createOverviewCache({ dataVersion: async () => version, cache: new ServingCache(), now: () => new Date(), versionCheckMs: 0 });
    const build = async () => ({ build: ++builds });
    const first = await Promise.all([overviews.get(WINDOW, build), overviews.get(WINDOW, build)]);
    expect(builds).toBe(1);
    expect(body(await overviews.get(WINDOW, build))).toEqual({ build: 1 });

    version = 'v2'; // a new chunk landed in the window
    const fresh = await overviews.get(WINDOW, build);
    expect(body(fresh)).toEqual({ build: 2 });
    expect(fresh.etag).not.toBe(first[0]!.etag);
    // Another window is its own overview.
    expect(body(await overviews.get({ start: '2026-01-01', end: '2026-01-14' }, build))).toEqual({ build: 3 });
  });

  it('keeps one overview per set of filters, whatever order they came in', async () => {
    let builds = 0;
    const overviews = createOverviewCache({ dataVersion: async () => 'v1', cache: new ServingCache(), now: () => new Date(), versionCheckMs: 0 });
    const build = async () => ({ build: ++builds });
    expect(body(await overviews.get(WINDOW, build, 'totals'))).toEqual({ build: 1 });
    expect(body(await overviews.get(WINDOW, build, 'totals', { user: 'alice' }))).toEqual({ build: 2 });
    expect(body(await overviews.get(WINDOW, build, 'totals', { user: 'alice', protocol: 'ssh' }))).toEqual({ build: 3 });
    expect(body(await overviews.get(WINDOW, build, 'totals', { protocol: 'ssh', user: 'alice' }))).toEqual({ build: 3 });
    // A filter value is not confused with another filter holding the same text.
    expect(body(await overviews.get(WINDOW, build, 'totals', { host: 'alice' }))).toEqual({ build: 4 });
    expect(body(await overviews.get(WINDOW, build, 'totals', {}))).toEqual({ build: 1 });
  });

  it('looks at the data again only after versionCheckMs', async () => {
    let at = 0;
    let lookups = 0;
    const overviews = createOverviewCache({ dataVersion: async () => `v${++lookups}`, cache: new ServingCache(), now: () => new Date(at), versionCheckMs: 1000 });
    const build = async () => ({ build: lookups });
    await overviews.get(WINDOW, build);
    await overviews.get(WINDOW, build);
    expect(lookups).toBe(1);
    at = 1500;
    expect(body(await overviews.get(WINDOW, build))).toEqual({ build: 2 });
  });

  it('without a data version (Athena) rebuilds after the TTL', async () => {
    let at = 0;
    let builds = 0;
    const overviews = createOverviewCache({ cache: new ServingCache(), now: () => new Date(at), ttlMs: 60_000 });
    const build = async () => ({ build: ++builds });
    await overviews.get(WINDOW, build);
    at = 59_000;
    expect(body(await overviews.get(WINDOW, build))).toEqual({ build: 1 });
    at = 61_000;
    expect(body(await overviews.get(WINDOW, build))).toEqual({ build: 2 });
  });
});

describe('GET /usage/overview from memory', () => {
  it('answers 304 to a holder of the current overview, and 403 to a user without use on security_report even with its ETag', async () => {
    const { startTestServer } = await import('../testing/test-server');
    const t = await startTestServer({ days: 7, events: 500 });
    try {
      const first = await t.fetchAs('auditor', '/api/v1/usage/overview?days=7');
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag')!;
      const overview = (await first.json()) as { window: DateWindow };
      expect(overview.window.end).toBe('2026-01-14');
      const again = await t.fetchAs('reporter', '/api/v1/usage/overview?days=7', { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      for (const denied of ['runner', 'visitor'] as const) {
        const res = await t.fetchAs(denied, '/api/v1/usage/overview?days=7', { headers: { 'if-none-match': etag } });
        expect(res.status).toBe(403);
        expect(res.headers.get('etag')).not.toBe(etag);
      }
    } finally {
      await t.close();
    }
  });
});
