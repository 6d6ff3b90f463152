import { mkdtemp, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { identity, removeIfSame, withKeyLock, type KeyLockOptions } from './key-lock';

describe('key lock', () => {
  let dir: string;
  let lock: string;
  let options: KeyLockOptions;
  let asides = 0;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'key-lock-'));
    lock = path.join(dir, '.am-lock.k');
    options = { staleMs: 10_000, maxWaitMs: 30_000, asidePath: () => path.join(dir, `.am-tmp.aside-${asides++}`) };
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('never runs two sections at once, and leaves no file behind', async () => {
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withKeyLock(lock, options, async () => {
          most = Math.max(most, ++inside);
          await sleep(1);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it('releases the lock when the section throws', async () => {
    await expect(withKeyLock(lock, options, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await readdir(dir)).toEqual([]);
  });

  it('re-runs a section that held the lock too long to commit safely', async () => {
    let runs = 0;
    const result = await withKeyLock(lock, { ...options, staleMs: 100 }, async (held) => {
      if (++runs === 1) await sleep(80);
      await held.assertHeld();
      return runs;
    });
    expect(result).toBe(2);
  });

  it('re-runs a section whose lock was broken and taken by someone else', async () => {
    let runs = 0;
    await withKeyLock(lock, options, async (held) => {
      if (++runs === 1) {
        // Another process moved the lock aside to break it, and a third one took a new lock.
        await rename(lock, path.join(dir, '.am-tmp.broken'));
        await writeFile(lock, 'someone else');
        await unlink(path.join(dir, '.am-tmp.broken'));
        setTimeout(() => void unlink(lock), 20);
      }
      await held.assertHeld();
    });
    expect(runs).toBe(2);
  });

  it('removes only the lock it was asked to remove, putting back a newer one', async () => {
    await writeFile(lock, 'old');
    await removeIfSame(lock, identity(await stat(lock, { bigint: true })), options.asidePath());
    await expect(stat(lock)).rejects.toMatchObject({ code: 'ENOENT' });

    await writeFile(lock, 'stale');
    const stale = identity(await stat(lock, { bigint: true }));
    await rename(lock, path.join(dir, 'stale-lock-moved-by-another-breaker'));
    await writeFile(lock, 'newer');
    const newer = identity(await stat(lock, { bigint: true }));
    await removeIfSame(lock, stale, options.asidePath());
    expect(identity(await stat(lock, { bigint: true }))).toBe(newer);
    expect((await readdir(dir)).sort()).toEqual(['.am-lock.k', 'stale-lock-moved-by-another-breaker']);
  });
});
