import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorruptObject, InvalidKey, ObjectNotFound, PreconditionFailed } from './errors';
import type { ObjectInfo, ObjectStore } from './object-store';

export interface ObjectStoreUnderTest {
  /** An empty store (a fresh temp folder, a fresh S3 prefix). */
  store: ObjectStore;
  cleanup(): Promise<void>;
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function collect(items: AsyncIterable<ObjectInfo>): Promise<ObjectInfo[]> {
  const all: ObjectInfo[] = [];
  for await (const item of items) all.push(item);
  return all;
}

async function keysOf(items: AsyncIterable<ObjectInfo>): Promise<string[]> {
  return (await collect(items)).map((i) => i.key);
}

/** Runs `tasks` with at most `width` in flight. */
async function inBatches(tasks: (() => Promise<unknown>)[], width: number): Promise<void> {
  const queue = [...tasks];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let task = queue.shift(); task; task = queue.shift()) await task();
    }),
  );
}

/** Outcomes of racing promises: the values that won and the errors of those that lost. */
async function race<T>(promises: Promise<T>[]): Promise<{ won: T[]; lost: unknown[] }> {
  const settled = await Promise.allSettled(promises);
  return {
    won: settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])),
    lost: settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : [])),
  };
}

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

/** A key of exactly `bytes` UTF-8 bytes, in segments short enough for any filesystem. */
function keyOfLength(bytes: number): string {
  const segments: string[] = [];
  let left = bytes;
  while (left > 0) {
    const take = Math.min(200, left - (segments.length > 0 ? 1 : 0));
    segments.push('k'.repeat(take));
    left -= take + (segments.length > 1 ? 1 : 0);
  }
  return segments.join('/');
}

const INVALID_KEYS: [string, string][] = [
  ['empty', ''],
  ['a leading slash', '/a'],
  ['a trailing slash', 'a/'],
  ['an empty segment', 'a//b'],
  ['a ".." segment', 'a/../b'],
  ['a leading ".."', '../a'],
  ['only ".."', '..'],
  ['a "." segment', 'a/./b'],
  ['NUL', 'a\0b'],
  ['over 1024 bytes', keyOfLength(1025)],
  ['a lone surrogate', 'a/\uD800'],
];

/**
 * The behaviour every ObjectStore owes the server (DESIGN.md §5). `make` is called before each test
 * and must return an empty store; `cleanup` is called after it.
 */
export function describeObjectStoreContract(name: string, make: () => Promise<ObjectStoreUnderTest>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let store: ObjectStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ store, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    describe('put and get', () => {
      it('round-trips text and reports its size in UTF-8 bytes', async () => {
        const text = 'héllo, wörld — 日本 😀\n';
        const put = await store.put('notes/greeting.txt', text, { contentType: 'text/plain; charset=utf-8' });
        expect(put).toMatchObject({ key: 'notes/greeting.txt', size: utf8(text).length });

        const { text: back, info } = await store.getText('notes/greeting.txt');
        expect(back).toBe(text);
        expect(info).toEqual(put);
        expect(Buffer.from((await store.get('notes/greeting.txt')).body)).toEqual(utf8(text));
      });

      it('round-trips every byte value', async () => {
        const bytes = new Uint8Array(512).map((_, i) => (i * 7) % 256);
        const put = await store.put('blobs/all-bytes.bin', bytes);
        const { body, info } = await store.get('blobs/all-bytes.bin');
        expect(Buffer.from(body)).toEqual(Buffer.from(bytes));
        expect(info).toEqual(put);
        expect(info.size).toBe(512);
      });

      it('stores an empty body', async () => {
        await store.put('empty', '');
        expect((await store.getText('empty')).text).toBe('');
        expect((await store.head('empty'))?.size).toBe(0);
      });

      it('head reports what put returned, with a quoted etag and an ISO UTC time', async () => {
        const put = await store.put('a/b.json', '{"n":1}');
        const head = await store.head('a/b.json');
        expect(head).toEqual(put);
        expect(put.etag).toMatch(/^"[^"]+"$/);
        expect(put.lastModified).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
      });

      it('head returns null and get, getText, getJson and read reject ObjectNotFound naming the key when there is no object', async () => {
        await store.put('present/x', 'x');
        expect(await store.head('present/y')).toBeNull();
        expect(await store.head('absent/y')).toBeNull();
        for (const attempt of [() => store.get('absent/y'), () => store.getText('absent/y'), () => store.getJson('absent/y'), () => store.read('absent/y'), () => store.read('absent/y', { start: 0, end: 1 })]) {
          const error = await attempt().catch((e: unknown) => e);
          expect(error).toBeInstanceOf(ObjectNotFound);
          expect((error as ObjectNotFound).key).toBe('absent/y');
        }
      });

      it('does not mistake a prefix of other keys for an object', async () => {
        await store.put('dir/child', 'c');
        expect(await store.head('dir')).toBeNull();
        await expect(store.get('dir')).rejects.toBeInstanceOf(ObjectNotFound);
      });

      it('an unconditional put replaces the body and changes the etag', async () => {
        const first = await store.put('state.json', '{"v":1}');
        const second = await store.put('state.json', '{"v":2}');
        expect(second.etag).not.toBe(first.etag);
        expect((await store.getJson<{ v: number }>('state.json')).value).toEqual({ v: 2 });
        expect((await store.head('state.json'))?.etag).toBe(second.etag);
      });

      it('getJson parses JSON and rejects anything else with CorruptObject naming the key', async () => {
        await store.put('good.json', JSON.stringify({ name: 'ssh-without-mfa', days: [7, 30] }));
        expect((await store.getJson('good.json')).value).toEqual({ name: 'ssh-without-mfa', days: [7, 30] });

        await store.put('reports/bad.json', '{"truncated": ');
        const error = await store.getJson('reports/bad.json').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CorruptObject);
        expect((error as CorruptObject).key).toBe('reports/bad.json');
        expect((error as Error).message).toContain('reports/bad.json');
      });
    });

    describe('create-only puts (ifNoneMatch: "*")', () => {
      it('creates a missing object and refuses to overwrite it, naming the current etag', async () => {
        const first = await store.put('queries/q/rev-1.json', '{"sql":"SELECT 1"}', { ifNoneMatch: '*' });
        const error = await store.put('queries/q/rev-1.json', '{"sql":"SELECT 2"}', { ifNoneMatch: '*' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PreconditionFailed);
        expect((error as PreconditionFailed).key).toBe('queries/q/rev-1.json');
        expect([undefined, first.etag]).toContain((error as PreconditionFailed).currentEtag);
        expect((await store.getText('queries/q/rev-1.json')).text).toBe('{"sql":"SELECT 1"}');
      });

      it('lets exactly one of 20 concurrent creators of the same key win', async () => {
        const { won, lost } = await race(Array.from({ length: 20 }, (_, i) => store.put('actions/firings/rule-1/slot-42.json', JSON.stringify({ by: i }), { ifNoneMatch: '*' })));
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(19);
        for (const error of lost) expect(error).toBeInstanceOf(PreconditionFailed);
        const stored = await store.getText('actions/firings/rule-1/slot-42.json');
        expect(stored.info.etag).toBe(won[0]?.etag);
        for (const error of lost) expect([undefined, stored.info.etag]).toContain((error as PreconditionFailed).currentEtag);
      });

      it('lets concurrent creators of different keys all win', async () => {
        const { won, lost } = await race(Array.from({ length: 20 }, (_, i) => store.put(`queries/q/rev-${i}.json`, `${i}`, { ifNoneMatch: '*' })));
        expect(lost).toEqual([]);
        expect(won).toHaveLength(20);
      });
    });

    describe('conditional updates (ifMatch)', () => {
      it('replaces the object when the etag matches', async () => {
        const base = await store.put('report-states/r/7d.json', '{"state":"RUNNING"}');
        const next = await store.put('report-states/r/7d.json', '{"state":"READY"}', { ifMatch: base.etag });
        expect(next.etag).not.toBe(base.etag);
        expect((await store.getJson('report-states/r/7d.json')).value).toEqual({ state: 'READY' });
      });

      it('refuses a stale etag, naming the current one, and keeps the object', async () => {
        const base = await store.put('report-states/r/7d.json', '{"state":"RUNNING"}');
        const current = await store.put('report-states/r/7d.json', '{"state":"FAILED"}');
        const error = await store.put('report-states/r/7d.json', '{"state":"READY"}', { ifMatch: base.etag }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PreconditionFailed);
        expect([undefined, current.etag]).toContain((error as PreconditionFailed).currentEtag);
        expect((await store.getJson('report-states/r/7d.json')).value).toEqual({ state: 'FAILED' });
      });

      it('refuses when there is no object to match', async () => {
        const other = await store.put('shares/other.json', '{}');
        await expect(store.put('shares/missing.json', '{}', { ifMatch: other.etag })).rejects.toBeInstanceOf(PreconditionFailed);
        expect(await store.head('shares/missing.json')).toBeNull();
      });

      it('lets exactly one of 20 concurrent updates from the same etag win', async () => {
        const base = await store.put('report-states/r/30d.json', '{"by":null}');
        const { won, lost } = await race(Array.from({ length: 20 }, (_, i) => store.put('report-states/r/30d.json', JSON.stringify({ by: i }), { ifMatch: base.etag })));
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(19);
        for (const error of lost) expect(error).toBeInstanceOf(PreconditionFailed);
        expect((await store.head('report-states/r/30d.json'))?.etag).toBe(won[0]?.etag);
      });

      it('loses no update when concurrent writers retry read-modify-write', async () => {
        await store.put('counter.json', JSON.stringify({ n: 0 }));
        const increment = async (): Promise<void> => {
          for (;;) {
            const { value, info } = await store.getJson<{ n: number }>('counter.json');
            try {
              await store.put('counter.json', JSON.stringify({ n: value.n + 1 }), { ifMatch: info.etag });
              return;
            } catch (e) {
              if (!(e instanceof PreconditionFailed)) throw e;
            }
          }
        };
        await Promise.all(Array.from({ length: 5 }, async () => {
          for (let i = 0; i < 4; i++) await increment();
        }));
        expect((await store.getJson('counter.json')).value).toEqual({ n: 20 });
      });
    });

    describe('streamed puts (putStream)', () => {
      /** ~300 KiB in chunks of uneven sizes, some of them text: more than one part of a multipart upload. */
      const chunks = (): Array<Uint8Array | string> => Array.from({ length: 37 }, (_, i) => (i % 5 === 4 ? `row ${i},"quoted, text"\r\n`.repeat(50) : new Uint8Array(6_000 + i * 131).map((_, j) => (i + j) % 256)));
      const whole = (): Buffer => Buffer.concat(chunks().map((c) => (typeof c === 'string' ? utf8(c) : Buffer.from(c))));
      async function* streamOf(parts: Array<Uint8Array | string>, failAfter?: number): AsyncGenerator<Uint8Array | string> {
        for (const [i, part] of parts.entries()) {
          if (i === failAfter) throw new Error('the source broke');
          yield part;
        }
      }

      it('stores the body of a stream of uneven chunks as put would, and head agrees with what it returned', async () => {
        const put = await store.putStream('runs/r1/q.csv', streamOf(chunks()), { contentType: 'text/csv', ifNoneMatch: '*' });
        expect(put).toMatchObject({ key: 'runs/r1/q.csv', size: whole().length });
        expect(put.etag).toMatch(/^"[^"]+"$/);
        expect(Buffer.from((await store.get('runs/r1/q.csv')).body)).toEqual(whole());
        expect(await store.head('runs/r1/q.csv')).toEqual(put);
      });

      it('stores a short stream, and an empty one', async () => {
        await store.putStream('runs/r1/short.csv', streamOf(['a,b\r\n', utf8('1,2\r\n')]));
        expect((await store.getText('runs/r1/short.csv')).text).toBe('a,b\r\n1,2\r\n');
        await store.putStream('runs/r1/empty.csv', streamOf([]));
        expect((await store.head('runs/r1/empty.csv'))?.size).toBe(0);
      });

      it('keeps create-only and compare-and-swap: a refused stream leaves the object as it was', async () => {
        const first = await store.put('runs/r1/q.csv', 'first');
        await expect(store.putStream('runs/r1/q.csv', streamOf(chunks()), { ifNoneMatch: '*' })).rejects.toBeInstanceOf(PreconditionFailed);
        const second = await store.put('runs/r1/q.csv', 'second');
        await expect(store.putStream('runs/r1/q.csv', streamOf(chunks()), { ifMatch: first.etag })).rejects.toBeInstanceOf(PreconditionFailed);
        expect((await store.getText('runs/r1/q.csv')).text).toBe('second');
        const third = await store.putStream('runs/r1/q.csv', streamOf(chunks()), { ifMatch: second.etag });
        expect((await store.head('runs/r1/q.csv'))?.etag).toBe(third.etag);
      });

      it('writes nothing when the stream fails, early or after several parts', async () => {
        await expect(store.putStream('runs/r1/early.csv', streamOf(chunks(), 1))).rejects.toThrow('the source broke');
        await expect(store.putStream('runs/r1/late.csv', streamOf(chunks(), 30))).rejects.toThrow('the source broke');
        expect(await store.head('runs/r1/early.csv')).toBeNull();
        expect(await store.head('runs/r1/late.csv')).toBeNull();
        expect(await keysOf(store.list('runs/'))).toEqual([]);
      });
    });

    describe('ranged reads', () => {
      const body = '0123456789abcdefghij';
      beforeEach(async () => {
        await store.put('runs/r1/q.csv', body);
      });
      const text = async (range?: { start: number; end?: number }): Promise<string> => (await readAll(await store.read('runs/r1/q.csv', range))).toString('utf8');

      it('streams the whole body without a range', async () => {
        expect(await text()).toBe(body);
      });
      it('streams from start to the end', async () => {
        expect(await text({ start: 15 })).toBe('fghij');
      });
      it('streams start to end inclusive', async () => {
        expect(await text({ start: 2, end: 5 })).toBe('2345');
        expect(await text({ start: 7, end: 7 })).toBe('7');
      });
      it('clamps an end past the last byte', async () => {
        expect(await text({ start: 18, end: 1000 })).toBe('ij');
      });
      it('gives an empty stream for a start at or past the end', async () => {
        expect(await text({ start: 20 })).toBe('');
        expect(await text({ start: 100, end: 200 })).toBe('');
      });
      it('streams the version that was there when the read began', async () => {
        const big = 'a'.repeat(1 << 20);
        await store.put('runs/r2/q.csv', big);
        const stream = await store.read('runs/r2/q.csv');
        await store.put('runs/r2/q.csv', 'b'.repeat(1 << 19));
        expect((await readAll(stream)).toString('utf8')).toBe(big);
      });
    });

    describe('list', () => {
      // Byte order of the UTF-8 keys: '-' < '.' < '/' < '0' < 'a', and U+FF5A before U+1F600 (UTF-16 order says otherwise).
      const ordered = ['p/a-b', 'p/a.b', 'p/a/b', 'p/a/c/d', 'p/a0', 'p/ab', 'p/\uFF5A', 'p/\u{1F600}'];
      beforeEach(async () => {
        for (const key of [...ordered].reverse()) await store.put(key, key);
        await store.put('px', 'sibling that shares the string prefix "p"');
        await store.put('other/p/a', 'another prefix');
      });

      it('lists the keys under a prefix in UTF-8 byte order, with the info head gives', async () => {
        const listed = await collect(store.list('p/'));
        expect(listed.map((i) => i.key)).toEqual(ordered);
        for (const info of listed) expect(info).toEqual(await store.head(info.key));
      });

      it('matches the prefix as a string, not only as a folder', async () => {
        expect(await keysOf(store.list('p'))).toEqual([...ordered, 'px']);
        expect(await keysOf(store.list('p/a'))).toEqual(['p/a-b', 'p/a.b', 'p/a/b', 'p/a/c/d', 'p/a0', 'p/ab']);
        expect(await keysOf(store.list('p/a/'))).toEqual(['p/a/b', 'p/a/c/d']);
        expect(await keysOf(store.list('p/a/c/d'))).toEqual(['p/a/c/d']);
        expect(await keysOf(store.list(''))).toEqual(['other/p/a', ...ordered, 'px']);
      });

      it('lists nothing under a prefix no key has', async () => {
        expect(await keysOf(store.list('nothing/'))).toEqual([]);
        expect(await keysOf(store.list('p/zz'))).toEqual([]);
        expect(await keysOf(store.list('/p/'))).toEqual([]);
        expect(await keysOf(store.list('p/../other/'))).toEqual([]);
      });

      it('starts strictly after startAfter, which need not exist', async () => {
        expect(await keysOf(store.list('p/', { startAfter: 'p/a/b' }))).toEqual(ordered.slice(3));
        expect(await keysOf(store.list('p/', { startAfter: 'p/a/' }))).toEqual(ordered.slice(2));
        expect(await keysOf(store.list('p/', { startAfter: 'p/a/bb' }))).toEqual(ordered.slice(3));
        expect(await keysOf(store.list('p/', { startAfter: 'p/a1' }))).toEqual(ordered.slice(5));
        expect(await keysOf(store.list('p/', { startAfter: 'a' }))).toEqual(ordered);
        expect(await keysOf(store.list('p/', { startAfter: 'q' }))).toEqual([]);
      });

      it('stops after limit objects', async () => {
        expect(await keysOf(store.list('p/', { limit: 3 }))).toEqual(ordered.slice(0, 3));
        expect(await keysOf(store.list('p/', { startAfter: 'p/a/b', limit: 2 }))).toEqual(ordered.slice(3, 5));
        expect(await keysOf(store.list('p/', { limit: 0 }))).toEqual([]);
      });
    });

    it('lists more than 1000 keys in order, across pages', async () => {
      const keys = Array.from({ length: 1100 }, (_, i) => `executions/alice/${String(i).padStart(4, '0')}.json`);
      await inBatches(
        [...keys].reverse().map((key) => () => store.put(key, '{}')),
        16,
      );
      await store.put('executions/bob/0000.json', '{}');

      expect(await keysOf(store.list('executions/alice/'))).toEqual(keys);
      expect(await keysOf(store.list('executions/alice/', { startAfter: keys[999] }))).toEqual(keys.slice(1000));
      expect(await keysOf(store.list('executions/alice/', { limit: 1050 }))).toEqual(keys.slice(0, 1050));
      expect(await keysOf(store.list('executions/alice/', { startAfter: keys[10], limit: 1010 }))).toEqual(keys.slice(11, 1021));
    });

    it('never lists an object before it is complete, nor the files a put writes on the way', async () => {
      const body = 'x'.repeat(256 * 1024);
      const keys = Array.from({ length: 20 }, (_, i) => `busy/k${String(i).padStart(2, '0')}`);
      let writing = true;
      const puts = Promise.all(keys.map((key) => store.put(key, body))).finally(() => {
        writing = false;
      });
      const seen: ObjectInfo[] = [];
      while (writing) seen.push(...(await collect(store.list('busy/'))));
      await puts;
      seen.push(...(await collect(store.list('busy/'))));
      for (const info of seen) {
        expect(keys).toContain(info.key);
        expect(info.size).toBe(body.length);
      }
      expect(await keysOf(store.list('busy/'))).toEqual(keys);
    });

    it('never shows a reader a mix of two versions', async () => {
      const versions = ['a', 'b', 'c'].map((c) => c.repeat(512 * 1024));
      await store.put('runs/r/result.csv', versions[0] as string);
      let writing = true;
      const writes = (async () => {
        for (let i = 1; i <= 6; i++) await store.put('runs/r/result.csv', versions[i % 3] as string);
      })().finally(() => {
        writing = false;
      });
      const reads: string[] = [];
      while (writing) reads.push((await store.getText('runs/r/result.csv')).text);
      await writes;
      for (const text of reads) expect(versions).toContain(text);
    });

    describe('keys', () => {
      it.each(INVALID_KEYS)('rejects a key with %s in every method', async (_, key) => {
        const attempts = [() => store.put(key, 'x'), () => store.get(key), () => store.getText(key), () => store.getJson(key), () => store.head(key), () => store.read(key)];
        for (const attempt of attempts) {
          const error = await attempt().catch((e: unknown) => e);
          expect(error).toBeInstanceOf(InvalidKey);
          expect((error as InvalidKey).key).toBe(key);
        }
      });

      it('accepts a key of exactly 1024 bytes', async () => {
        const key = keyOfLength(1024);
        expect(utf8(key)).toHaveLength(1024);
        await store.put(key, 'long');
        expect((await store.getText(key)).text).toBe('long');
      });

      it('accepts spaces, dots inside names and non-ASCII', async () => {
        const keys = ['a b/c d.json', 'dots/..x/y..', 'dots/.hidden', 'ü/日本.csv'];
        for (const key of keys) await store.put(key, key);
        for (const key of keys) expect((await store.getText(key)).text).toBe(key);
      });
    });
  });
}
