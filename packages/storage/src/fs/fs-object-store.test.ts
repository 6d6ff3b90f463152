import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidKey, PreconditionFailed } from '../errors';
import { describeObjectStoreContract, readAll } from '../object-store.contract';
import type { ObjectInfo, ObjectStore } from '../object-store';
import { createFsObjectStore } from './fs-object-store';

const roots: string[] = [];
async function tempDir(name = 'fs-object-store-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), name));
  roots.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

describeObjectStoreContract('fs', async () => {
  const root = await tempDir();
  return { store: createFsObjectStore(root), cleanup: () => rm(root, { recursive: true, force: true }) };
});

const sha256Etag = (body: string): string => `"${createHash('sha256').update(body).digest('hex')}"`;

async function keys(items: AsyncIterable<ObjectInfo>): Promise<string[]> {
  const all: string[] = [];
  for await (const item of items) all.push(item.key);
  return all;
}

/** Every file name under `dir`, recursively, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).sort();
}

describe('fs object store', () => {
  let root: string;
  let store: ObjectStore;
  beforeEach(async () => {
    root = await tempDir();
    store = createFsObjectStore(root);
  });

  it('keeps each object as a plain file at its key, with the SHA-256 of the body as etag', async () => {
    const info = await store.put('runs/r1/q.csv', 'a,b\n1,2\n');
    expect(await readFile(path.join(root, 'runs/r1/q.csv'), 'utf8')).toBe('a,b\n1,2\n');
    expect(info.etag).toBe(sha256Etag('a,b\n1,2\n'));
  });

  it('creates its root folder on first use', async () => {
    const nested = path.join(root, 'not', 'yet');
    await createFsObjectStore(nested).put('x', 'y');
    expect(await readFile(path.join(nested, 'x'), 'utf8')).toBe('y');
  });

  it('treats a file put into the folder by hand as an object, hashing it for its etag', async () => {
    await mkdir(path.join(root, 'manual'));
    await writeFile(path.join(root, 'manual/events.csv'), 'by hand');
    const info = await store.head('manual/events.csv');
    expect(info).toMatchObject({ key: 'manual/events.csv', size: 7, etag: sha256Etag('by hand') });
    expect(await keys(store.list('manual/'))).toEqual(['manual/events.csv']);
    await store.put('manual/events.csv', 'updated', { ifMatch: sha256Etag('by hand') });
    expect((await store.getText('manual/events.csv')).info.etag).toBe(sha256Etag('updated'));
  });

  it('reports the etag of the body even when a crash left the previous sidecar behind', async () => {
    await store.put('report-states/r/7d.json', '{"state":"RUNNING"}');
    // A put that died between renaming the body into place and renaming its sidecar.
    await writeFile(path.join(root, 'report-states/r/.am-tmp.crashed'), '{"state":"READY"}');
    await rename(path.join(root, 'report-states/r/.am-tmp.crashed'), path.join(root, 'report-states/r/7d.json'));

    expect((await store.head('report-states/r/7d.json'))?.etag).toBe(sha256Etag('{"state":"READY"}'));
    expect((await store.get('report-states/r/7d.json')).info.etag).toBe(sha256Etag('{"state":"READY"}'));
    await expect(store.put('report-states/r/7d.json', 'x', { ifMatch: sha256Etag('{"state":"RUNNING"}') })).rejects.toBeInstanceOf(PreconditionFailed);
  });

  it('leaves no files of its own behind after puts, conflicts included', async () => {
    await store.put('a/x', '1', { ifNoneMatch: '*' });
    await expect(store.put('a/x', '2', { ifNoneMatch: '*' })).rejects.toBeInstanceOf(PreconditionFailed);
    await expect(store.put('a/x', '3', { ifMatch: '"stale"' })).rejects.toBeInstanceOf(PreconditionFailed);
    await store.put('a/x', '4');
    expect(await filesUnder(root)).toEqual(['a', 'a/.am-meta.x', 'a/x']);
  });

  it('does not list a temp file or lock left by a crashed writer, and puts over it', async () => {
    await store.put('queries/q/rev-1.json', '{}');
    await writeFile(path.join(root, 'queries/q/.am-tmp.0123456789abcdef'), '{"half":');
    await writeFile(path.join(root, 'queries/.am-tmp.fedcba9876543210'), '');
    await writeFile(path.join(root, '.am-tmp.0000000000000000'), 'x');
    expect(await keys(store.list(''))).toEqual(['queries/q/rev-1.json']);
    await store.put('queries/q/rev-2.json', '{}', { ifNoneMatch: '*' });
    expect(await keys(store.list('queries/q/'))).toEqual(['queries/q/rev-1.json', 'queries/q/rev-2.json']);
  });

  it('breaks a lock left by a crashed writer once it is stale', async () => {
    const quick = createFsObjectStore(root, { staleLockMs: 200 });
    await quick.put('shares/t.json', '{"v":1}');
    const lock = path.join(root, 'shares/.am-lock.t.json');
    await writeFile(lock, '{"pid":0}');
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(lock, longAgo, longAgo);

    await quick.put('shares/t.json', '{"v":2}');
    expect((await quick.getText('shares/t.json')).text).toBe('{"v":2}');
    expect(await filesUnder(path.join(root, 'shares'))).toEqual(['.am-meta.t.json', 't.json']);
  });

  it('waits for a live lock instead of breaking it', async () => {
    await store.put('shares/t.json', '{"v":1}');
    const lock = path.join(root, 'shares/.am-lock.t.json');
    await writeFile(lock, '{"pid":0}');
    let done = false;
    const put = store.put('shares/t.json', '{"v":2}').finally(() => {
      done = true;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(done).toBe(false);
    expect((await store.getText('shares/t.json')).text).toBe('{"v":1}');
    await rm(lock);
    await put;
    expect((await store.getText('shares/t.json')).text).toBe('{"v":2}');
  });

  it('cannot hold an object and a folder of objects under the same name', async () => {
    await store.put('a', 'object');
    await expect(store.put('a/b', 'child')).rejects.toBeInstanceOf(InvalidKey);
    await store.put('c/d', 'child');
    await expect(store.put('c', 'object')).rejects.toBeInstanceOf(InvalidKey);
    await expect(store.put('c', 'object', { ifNoneMatch: '*' })).rejects.toBeInstanceOf(InvalidKey);
    expect(await keys(store.list(''))).toEqual(['a', 'c/d']);
  });

  it('refuses keys that would collide with its own files or exceed a file name', async () => {
    await expect(store.put('x/.am-meta.y', '{}')).rejects.toBeInstanceOf(InvalidKey);
    await expect(store.put('.am-lock.y', '{}')).rejects.toBeInstanceOf(InvalidKey);
    await expect(store.put(`x/${'n'.repeat(247)}`, '{}')).rejects.toBeInstanceOf(InvalidKey);
    await store.put(`x/${'n'.repeat(246)}`, '{}');
  });

  describe('never leaves its root', () => {
    let outside: string;
    beforeEach(async () => {
      outside = await tempDir('fs-object-store-outside-');
      await writeFile(path.join(outside, 'secret'), 'do not read');
    });

    it('refuses a folder that is a symbolic link, for reads, writes and lists', async () => {
      await symlink(outside, path.join(root, 'linked'));
      for (const attempt of [() => store.get('linked/secret'), () => store.head('linked/secret'), () => store.read('linked/secret'), () => store.put('linked/new', 'x'), () => store.put('linked/deeper/new', 'x')]) {
        await expect(attempt()).rejects.toBeInstanceOf(InvalidKey);
      }
      expect(await keys(store.list(''))).toEqual([]);
      expect(await keys(store.list('linked/'))).toEqual([]);
      expect(await filesUnder(outside)).toEqual(['secret']);
    });

    it('refuses a symbolic link deeper in the path', async () => {
      await store.put('a/b/real', 'x');
      await symlink(outside, path.join(root, 'a/b/linked'));
      await expect(store.put('a/b/linked/c/d', 'x')).rejects.toBeInstanceOf(InvalidKey);
      await expect(store.get('a/b/linked/secret')).rejects.toBeInstanceOf(InvalidKey);
      expect(await keys(store.list('a/'))).toEqual(['a/b/real']);
      expect(await filesUnder(outside)).toEqual(['secret']);
    });

    it('refuses an object file that is a symbolic link', async () => {
      await symlink(path.join(outside, 'secret'), path.join(root, 'leak'));
      await expect(store.get('leak')).rejects.toBeInstanceOf(InvalidKey);
      await expect(store.head('leak')).rejects.toBeInstanceOf(InvalidKey);
      await expect(store.put('leak', 'overwrite')).rejects.toBeInstanceOf(InvalidKey);
      expect(await keys(store.list(''))).toEqual([]);
      expect(await readFile(path.join(outside, 'secret'), 'utf8')).toBe('do not read');
    });

    it('refuses ".." in keys without touching the parent folder', async () => {
      const inner = path.join(root, 'inner');
      const nested = createFsObjectStore(inner);
      await expect(nested.put('../escaped', 'x')).rejects.toBeInstanceOf(InvalidKey);
      await expect(nested.put('a/../../escaped', 'x')).rejects.toBeInstanceOf(InvalidKey);
      await expect(nested.get('../inner/../../secret')).rejects.toBeInstanceOf(InvalidKey);
      expect(await keys(nested.list('../'))).toEqual([]);
      expect(await filesUnder(root)).toEqual([]);
    });

    it('works when the root itself is reached through a symbolic link', async () => {
      const link = path.join(outside, 'root-link');
      await symlink(root, link);
      const viaLink = createFsObjectStore(link);
      await viaLink.put('a/b.json', '{}');
      expect((await viaLink.getText('a/b.json')).text).toBe('{}');
      expect(await keys(viaLink.list(''))).toEqual(['a/b.json']);
      expect((await readAll(await viaLink.read('a/b.json', { start: 1 }))).toString()).toBe('}');
    });
  });

  describe('several processes sharing the folder', () => {
    const fixture = fileURLToPath(new URL('./concurrent-writer.fixture.ts', import.meta.url));
    const runProcesses = async (count: number, args: string[]): Promise<string[]> => {
      const barrier = await tempDir('fs-object-store-barrier-');
      return Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fixture, root, ...args.map((a) => a.replace('{i}', String(i)))], {
            cwd: path.dirname(fixture),
            env: { ...process.env, BARRIER_DIR: barrier, BARRIER_COUNT: String(count) },
          });
          return stdout;
        }),
      );
    };
    afterEach(async () => {
      expect((await filesUnder(root)).filter((f) => f.includes('.am-tmp.') || f.includes('.am-lock.'))).toEqual([]);
    });

    it('loses no update when they increment one counter with If-Match', async () => {
      await store.put('counter.json', '{"n":0}');
      const outputs = await runProcesses(3, ['increment', 'counter.json', '15']);
      expect((await store.getJson('counter.json')).value).toEqual({ n: 45 });
      // Sanity check that they raced at all.
      expect(outputs.map((o) => (JSON.parse(o) as { conflicts: number }).conflicts).reduce((a, b) => a + b)).toBeGreaterThan(0);
    });

    it('lets exactly one creator win across processes', async () => {
      const outputs = await runProcesses(3, ['create', 'actions/firings/r/slot.json', 'p{i}']);
      const outcomes = outputs.flatMap((o) => JSON.parse(o) as string[]);
      expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'lost')).toHaveLength(14);
    });
  });
});
