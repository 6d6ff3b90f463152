import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ServingCache } from './serving-cache';

describe('ServingCache', () => {
  it('drops the least recently used entries once its bytes pass the bound', () => {
    const cache = new ServingCache(300);
    cache.set('a', 'A', 100);
    cache.set('b', 'B', 100);
    expect(cache.get('a')).toBe('A'); // a is now the most recently used
    cache.set('c', 'C', 100);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.get('c')).toBe('C');
    expect(cache.bytes).toBeLessThanOrEqual(300);
  });

  it('keeps nothing larger than the whole cache', () => {
    const cache = new ServingCache(50);
    cache.set('big', 'x', 1000);
    expect(cache.get('big')).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });

  it('builds a missing entry once for concurrent callers and does not keep a failed build', async () => {
    const cache = new ServingCache(10_000);
    let builds = 0;
    const build = async () => {
      builds++;
      await new Promise((r) => setTimeout(r, 10));
      return { n: builds };
    };
    const values = await Promise.all([cache.json('k', build), cache.json('k', build), cache.json('k', build)]);
    expect(builds).toBe(1);
    expect(new Set(values.map((v) => v.etag)).size).toBe(1);
    expect(JSON.parse(values[0]!.body.toString())).toEqual({ n: 1 });

    await expect(cache.json('bad', async () => Promise.reject(new Error('engine down')))).rejects.toThrow('engine down');
    expect(await cache.json('bad', async () => ({ ok: true }))).toMatchObject({ body: Buffer.from('{"ok":true}') });
  });

  it('keeps large answers gzipped beside the JSON, with one validator per content', async () => {
    const cache = new ServingCache(1_000_000);
    const rows = Array.from({ length: 200 }, (_, i) => ({ user: `user-${i}`, sessions: i }));
    const a = await cache.json('one', async () => ({ rows }));
    const b = await cache.json('two', async () => ({ rows }));
    expect(gunzipSync(a.gzipped!).toString()).toBe(a.body.toString());
    expect(b.etag).toBe(a.etag);
    expect((await cache.json('three', async () => ({ rows: rows.slice(1) }))).etag).not.toBe(a.etag);
  });
});
