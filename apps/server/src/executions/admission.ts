import { setTimeout as sleep } from 'node:timers/promises';
import { isTerminalState } from '@access-monitor/contracts';
import type { QueryEngine } from '@access-monitor/engine';

/** Frees a slot taken by tryAcquire/acquire; calling it twice is harmless. */
export type Release = () => void;

interface Waiter {
  key: string;
  limit: number;
  owner: string;
  resolve: (release: Release) => void;
  reject: (reason: unknown) => void;
}

interface Slot {
  key: string;
  /** The execution holding the slot, once started; the slot frees itself when it ends. */
  id?: string;
  released: boolean;
}

/**
 * Running limits per key (a user, or a service identity) and in total, for this instance. Taking a
 * slot is synchronous after the refresh, so 50 simultaneous starts against a limit of 3 admit 3.
 * Slots are held by executions and freed when the engine reports them finished. A user's limit across
 * instances is kept in the store as well (user-slots.ts).
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

  /** Waiting acquirers by owner; the Map's order is the round-robin order (a served owner goes last). */
  const waiting = new Map<string, Waiter[]>();
  let pumping = false;

  /** Hands free slots to waiters, one per owner in turn, until the slots or the eligible waiters run out. */
  function grant(): boolean {
    let any = false;
    for (let progressed = true; progressed; ) {
      progressed = false;
      for (const [owner, queue] of [...waiting]) {
        if (slots.size >= deps.total) return any;
        const i = queue.findIndex((w) => countOf(w.key) < w.limit);
        if (i < 0) continue;
        const [w] = queue.splice(i, 1);
        waiting.delete(owner);
        if (queue.length > 0) waiting.set(owner, queue); // to the back of the turn
        w!.resolve(take(w!.key));
        progressed = any = true;
      }
    }
    return any;
  }

  /** While anyone waits: polls the engine for ended executions and grants the slots they free. */
  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      for (let delay = 25; waiting.size > 0; ) {
        await sleep(delay);
        await refresh();
        delay = grant() ? 25 : Math.min(delay * 1.5, 500);
      }
    } finally {
      pumping = false;
    }
  }

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
    /** A slot for `key` when it has fewer than `limit` here and the instance is under its total; undefined otherwise. */
    async tryAcquire(key: string, limit: number): Promise<Release | undefined> {
      await refresh();
      // No await from here to take(): the check and the count are one step.
      if (countOf(key) >= limit || slots.size >= deps.total) return undefined;
      return take(key);
    },
    /**
     * Waits for a slot (server work queues rather than failing). Waiters are served round-robin by
     * `owner` (the person a report run is for), so one person's queued queries never starve another's.
     */
    async acquire(key: string, limit: number, opts: { owner?: string; signal?: AbortSignal } = {}): Promise<Release> {
      await refresh();
      opts.signal?.throwIfAborted();
      const owner = opts.owner ?? key;
      const granted = new Promise<Release>((resolve, reject) => {
        const waiter: Waiter = { key, limit, owner, resolve, reject };
        const queue = waiting.get(owner) ?? [];
        queue.push(waiter);
        if (!waiting.has(owner)) waiting.set(owner, queue);
        opts.signal?.addEventListener(
          'abort',
          () => {
            const i = queue.indexOf(waiter);
            if (i < 0) return;
            queue.splice(i, 1);
            if (queue.length === 0) waiting.delete(owner);
            reject(opts.signal!.reason);
          },
          { once: true },
        );
      });
      grant();
      void pump();
      return granted;
    },
    /** Ties a taken slot to the execution that now holds it. */
    hold(release: Release, id: string): void {
      const slot = slotOf.get(release);
      if (slot && !slot.released) slot.id = id;
    },
  };
}
