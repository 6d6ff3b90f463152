import type { BigIntStats } from 'node:fs';
import { hostname } from 'node:os';
import { link, lstat, open, rename, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface KeyLockOptions {
  /** A lock file whose mtime is older than this was left by a crashed (or frozen) holder and may be broken. */
  staleMs: number;
  /** Give up waiting for a lock after this long. */
  maxWaitMs: number;
  /** A fresh, unused path in the lock's folder, used to move a lock aside before removing it. */
  asidePath: () => string;
}

export interface HeldLock {
  /**
   * Call right before the commit step: throws (and the section is re-run under a new lock) when the
   * lock has been held long enough that a waiter could have judged it stale, or is no longer ours.
   */
  assertHeld(): Promise<void>;
}

/** The critical section outlived its lock; withKeyLock runs it again. */
class LockLost extends Error {}

/**
 * Runs `section` while holding the lock file `lockPath`, a mutex shared by every process that uses
 * the same folder. The file is created with `wx` (O_CREAT|O_EXCL), so exactly one creator wins.
 * A crashed holder leaves the file behind: waiters break a lock older than `staleMs`, and a holder
 * stops itself (assertHeld) before it is old enough to be broken, so two holders never commit.
 */
export async function withKeyLock<T>(lockPath: string, options: KeyLockOptions, section: (lock: HeldLock) => Promise<T>): Promise<T> {
  for (;;) {
    const { id, acquiredAt } = await acquire(lockPath, options);
    const lock: HeldLock = {
      async assertHeld() {
        const now = await lstatOrNull(lockPath);
        // The age check comes last: it is what keeps a frozen holder from committing after a takeover.
        if (now === null || identity(now) !== id || Date.now() - acquiredAt > options.staleMs / 2) throw new LockLost();
      },
    };
    try {
      return await section(lock);
    } catch (e) {
      if (!(e instanceof LockLost)) throw e;
    } finally {
      await removeIfSame(lockPath, id, options.asidePath());
    }
  }
}

async function acquire(lockPath: string, options: KeyLockOptions): Promise<{ id: string; acquiredAt: number }> {
  const deadline = Date.now() + options.maxWaitMs;
  for (let attempt = 0; ; attempt++) {
    // Measured before the file exists, so the holder's idea of the lock's age is never younger than a waiter's.
    const acquiredAt = Date.now();
    const created = await createExclusive(lockPath);
    if (created !== null) return { id: created, acquiredAt };

    const seen = await lstatOrNull(lockPath);
    if (seen === null) continue;
    if (Date.now() - Number(seen.mtimeMs) > options.staleMs) {
      await removeIfSame(lockPath, identity(seen), options.asidePath());
      continue;
    }
    if (Date.now() > deadline) throw new Error(`gave up after ${options.maxWaitMs} ms waiting for the lock ${lockPath}`);
    await sleep(1 + Math.random() * Math.min(2 ** attempt, 50));
  }
}

/** The new lock file's identity, or null when another process holds the lock. */
async function createExclusive(lockPath: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(lockPath, 'wx');
  } catch (e) {
    if (errorCode(e) === 'EEXIST') return null;
    throw e;
  }
  try {
    // Only for people looking at a stuck folder; nothing reads it.
    await handle.writeFile(`${JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() })}\n`);
    return identity(await handle.stat({ bigint: true }));
  } catch (e) {
    await unlink(lockPath).catch(() => undefined);
    throw e;
  } finally {
    await handle.close();
  }
}

/**
 * Removes the lock file if it is still the one with identity `id`. Checking then unlinking could
 * remove a lock someone else just created; moving it aside first and putting back a stranger's
 * lock (with link, which never overwrites) cannot.
 */
export async function removeIfSame(lockPath: string, id: string, asidePath: string): Promise<void> {
  try {
    await rename(lockPath, asidePath);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return;
    throw e;
  }
  try {
    const moved = await lstatOrNull(asidePath);
    if (moved !== null && identity(moved) !== id) {
      await link(asidePath, lockPath).catch((e: unknown) => {
        // A newer lock took the place: the stranger's holder notices in assertHeld.
        if (errorCode(e) !== 'EEXIST') throw e;
      });
    }
  } finally {
    await unlink(asidePath).catch(() => undefined);
  }
}

/**
 * Tells lock files apart. An inode number can be reused as soon as a lock is removed, but a lock is
 * only broken once its mtime is staleMs old, so its successor's mtime differs.
 */
export function identity(stats: BigIntStats): string {
  return `${stats.ino}:${stats.mtimeNs}`;
}

async function lstatOrNull(p: string): Promise<BigIntStats | null> {
  try {
    return await lstat(p, { bigint: true });
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return null;
    throw e;
  }
}

export function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}
