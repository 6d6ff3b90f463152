import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isTerminalState } from '@access-monitor/contracts';
import type { QueryEngine } from '@access-monitor/engine';
import { CorruptObject, ObjectNotFound, PreconditionFailed, type ObjectStore } from '@access-monitor/storage';
import { executionKeys } from '../store-layout';

/** One running slot of a user, as stored: revised by compare-and-swap, never deleted. */
interface SlotLease {
  state: 'held' | 'free';
  /** The instance that took it (random per process): only it can ask its engine about the execution. */
  instance?: string;
  /** The execution holding the slot once started. */
  executionId?: string;
  /** Past this the slot is free whatever it says: an instance that crashed while holding it never frees it. */
  expiresAt?: string;
}

/** A slot taken in the store; `hold` ties it to its execution, `release` frees it at once. */
export interface HeldUserSlot {
  /** Ties the slot to its execution; `onEnded` runs on this instance once it ends and the slot is free. */
  hold(executionId: string, onEnded?: () => Promise<void>): Promise<void>;
  /** The execution has ended (a waiter saw it first): frees the slot and runs `onEnded` now, once. */
  ended(): Promise<void>;
  release(): Promise<void>;
}

/** A slot lost this many compare-and-swaps in a row is taken to be contended and skipped. */
const MAX_ATTEMPTS_PER_SLOT = 4;
/** The holder asks its engine whether the execution ended at most this often once it has run a while. */
const MAX_WATCH_INTERVAL_MS = 1000;

/**
 * `limits.max_running_per_user` across every instance sharing the store: a user has `limit` slot objects
 * (`execution-slots/<user>/<n>.json`), each taken by a compare-and-swap put (create-only the first time), so
 * two instances racing for the last slot cannot both win. There are no deletes: the instance holding a slot
 * watches its execution and writes the slot free when it ends; its own slots it may also free by asking its
 * engine (an embedded engine knows only its own executions). A slot whose lease (the longest the execution
 * may run, plus a margin) has expired is free whatever it says: that is how a crashed instance's slots age out.
 */
export function createUserSlots(deps: { store: ObjectStore; engine: Pick<QueryEngine, 'status'>; now: () => Date }) {
  const { store, engine, now } = deps;
  const instance = randomBytes(8).toString('hex');
  const watching = new Set<Promise<void>>();
  const stopped = new AbortController();

  async function read(key: string): Promise<{ lease?: SlotLease; etag?: string }> {
    try {
      const { value, info } = await store.getJson<SlotLease>(key);
      return { lease: value, etag: info.etag };
    } catch (e) {
      if (e instanceof ObjectNotFound) return {};
      // Not a lease (never written by this code; say, damaged by hand): free, to be replaced by compare-and-swap.
      if (e instanceof CorruptObject) {
        const info = await store.head(key);
        return info ? { etag: info.etag } : {};
      }
      throw e;
    }
  }

  async function isFree(lease: SlotLease | undefined): Promise<boolean> {
    if (!lease || lease.state !== 'held') return true;
    if (!lease.expiresAt || !(Date.parse(lease.expiresAt) > now().getTime())) return true;
    // Taken, and either its execution has not started yet or another instance runs it (and will free it).
    if (lease.executionId === undefined || lease.instance !== instance) return false;
    return ended(lease.executionId);
  }

  function ended(executionId: string): Promise<boolean> {
    return engine.status(executionId).then(
      (s) => isTerminalState(s.state),
      () => true, // the engine no longer knows it: nothing runs in the slot
    );
  }

  /** Replaces the slot's lease if it is still the version this taker wrote: its new etag, or undefined when it is someone else's now. */
  async function revise(key: string, etag: string, lease: SlotLease): Promise<string | undefined> {
    try {
      return (await store.put(key, JSON.stringify(lease), { ifMatch: etag, contentType: 'application/json' })).etag;
    } catch (e) {
      if (e instanceof PreconditionFailed) return undefined;
      throw e;
    }
  }

  /** Frees the slot once the execution ends; a failure, or close(), leaves it to the lease. */
  function watch(executionId: string, settle: () => Promise<void>): void {
    const watcher = (async () => {
      try {
        for (let delay = 50; !(await ended(executionId)); delay = Math.min(delay * 1.5, MAX_WATCH_INTERVAL_MS)) {
          await sleep(delay, undefined, { ref: false, signal: stopped.signal });
        }
        if (stopped.signal.aborted) return;
        await settle();
      } catch {
        // Stopped, or the store failed: the lease expires on its own.
      }
    })();
    watching.add(watcher);
    void watcher.finally(() => watching.delete(watcher));
  }

  return {
    /** Takes a free slot of `user` among its first `limit`, for at most `leaseMs`; undefined when all are busy. */
    async tryTake(user: string, limit: number, leaseMs: number): Promise<HeldUserSlot | undefined> {
      for (let n = 0; n < limit; n++) {
        const key = executionKeys.slot(user, n);
        for (let attempt = 0; attempt < MAX_ATTEMPTS_PER_SLOT; attempt++) {
          const current = await read(key);
          if (!(await isFree(current.lease))) break;
          const lease: SlotLease = { state: 'held', instance, expiresAt: new Date(now().getTime() + leaseMs).toISOString() };
          let etag: string;
          try {
            etag = (await store.put(key, JSON.stringify(lease), { ...(current.etag ? { ifMatch: current.etag } : { ifNoneMatch: '*' }), contentType: 'application/json' })).etag;
          } catch (e) {
            if (e instanceof PreconditionFailed) continue; // another taker changed it first: look again
            throw e;
          }
          let mine: string | undefined = etag;
          const release = async () => {
            if (mine) await revise(key, mine, { state: 'free', instance });
            mine = undefined;
          };
          let onEnded: (() => Promise<void>) | undefined;
          let settled: Promise<void> | undefined;
          // Whoever sees the end first (the watcher, or a caller waiting for the execution) frees the slot, once.
          const settle = () =>
            (settled ??= (async () => {
              try {
                await release();
              } finally {
                await onEnded?.();
              }
            })());
          return {
            async hold(executionId, whenEnded) {
              onEnded = whenEnded;
              if (mine) mine = await revise(key, mine, { ...lease, executionId });
              if (!stopped.signal.aborted) watch(executionId, settle);
            },
            ended: settle,
            release,
          };
        }
      }
      return undefined;
    },
    /** Stops watching executions (shutdown): their slots free themselves when their leases expire. */
    async close(): Promise<void> {
      stopped.abort();
      await Promise.all(watching);
    },
    /** Slots of `user` among its first `limit` that are busy now, on any instance. */
    async busy(user: string, limit: number): Promise<number> {
      const free = await Promise.all(Array.from({ length: limit }, async (_, n) => isFree((await read(executionKeys.slot(user, n))).lease)));
      return free.filter((f) => !f).length;
    },
  };
}
export type UserSlots = ReturnType<typeof createUserSlots>;
