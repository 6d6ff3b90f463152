import { setTimeout as sleep } from 'node:timers/promises';
import { isTerminalState } from '@access-monitor/contracts';
import type { QueryEngine } from '@access-monitor/engine';

/** Frees a slot taken by tryAcquire/acquire; calling it twice is harmless. */
export type Release = () => void;

interface Slot {
  key: string;
  /** The execution holding the slot, once started; the slot frees itself when it ends. */
  id?: string;
  released: boolean;
}

/**
 * Running limits per key (a user, or a service identity) and in total, for this instance. Taking a
 * slot is synchronous after the refresh, so 50 simultaneous starts against a limit of 3 admit 3.
 * Slots are held by executions and freed when the engine reports them finished.
 */
export function createAdmission(deps: { engine: Pick<QueryEngine, 'status'>; total: number }) {
  const slots = new Set<Slot>();
  const slotOf = new WeakMap<Release, Slot>();

  const free = (slot: Slot) => {
    slot.released = true;
    slots.delete(slot);
  };

  /** Frees the slots of executions that have ended (or that the engine no longer knows). */
  async function refresh(): Promise<void> {
    await Promise.all(
      [...slots].map(async (slot) => {
        if (slot.id === undefined) return;
        const ended = await deps.engine.status(slot.id).then((s) => isTerminalState(s.state), () => true);
        if (ended) free(slot);
      }),
    );
  }

  const countOf = (key: string) => [...slots].filter((s) => s.key === key).length;

  function take(key: string): Release {
    const slot: Slot = { key, released: false };
    slots.add(slot);
    const release: Release = () => free(slot);
    slotOf.set(release, slot);
    return release;
  }

  return {
    /** Slots taken by `key` on this instance. */
    running: countOf,
    /**
     * A slot for `key` when it has fewer than `limit` (counting `elsewhere`: executions other instances
     * run for it) and the instance is under its total; undefined otherwise.
     */
    async tryAcquire(key: string, limit: number, elsewhere: ReadonlySet<string> = new Set()): Promise<Release | undefined> {
      await refresh();
      // No await from here to take(): the check and the count are one step.
      const mine = [...slots].filter((s) => s.key === key);
      const known = new Set(mine.map((s) => s.id));
      const remote = [...elsewhere].filter((id) => !known.has(id)).length;
      if (mine.length + remote >= limit || slots.size >= deps.total) return undefined;
      return take(key);
    },
    /** Waits for a slot (server work queues rather than failing); polls the engine while it waits. */
    async acquire(key: string, limit: number, signal?: AbortSignal): Promise<Release> {
      for (let delay = 25; ; delay = Math.min(delay * 1.5, 500)) {
        await refresh();
        if (countOf(key) < limit && slots.size < deps.total) return take(key);
        signal?.throwIfAborted();
        await sleep(delay);
      }
    },
    /** Ties a taken slot to the execution that now holds it. */
    hold(release: Release, id: string): void {
      const slot = slotOf.get(release);
      if (slot && !slot.released) slot.id = id;
    },
  };
}
