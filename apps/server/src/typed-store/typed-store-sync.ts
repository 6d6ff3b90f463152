import type { Logger } from 'pino';
import type { TypedStoreControl } from '@access-monitor/engine';

export interface TypedStoreSync {
  /** Builds what arrived (the follower wrote chunks); joins a build under way. */
  poke(): void;
  /** Waits for a build under way and stops the timer. */
  stop(): Promise<void>;
}

/**
 * Keeps the embedded engine's typed event store in step with the Parquet folder: a build at start (with
 * progress in the log, since the first one over an existing folder can take a while), then on every poke
 * and on a timer, which catches chunks written by anyone else (an `import`, a sync from Teleport's bucket).
 * A sync that finds nothing to build costs one listing of the data folder.
 */
export function startTypedStoreSync(store: TypedStoreControl, opts: { logger: Logger; intervalMs: number }): TypedStoreSync {
  let running: Promise<void> | undefined;
  let stopped = false;
  let lastLogged = 0;

  const sync = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    const first = running === undefined && lastLogged === 0;
    running = store
      .sync((p) => {
        const now = Date.now();
        if (now - lastLogged < 2000 && p.daysDone < p.daysTotal) return;
        lastLogged = now;
        opts.logger.info({ daysDone: p.daysDone, daysTotal: p.daysTotal, events: p.eventsDone }, `typed event store: built ${p.daysDone} of ${p.daysTotal} days (${p.eventsDone.toLocaleString('en')} events)`);
      })
      .then((result) => {
        if (result.daysBuilt > 0 || first) {
          const { daysCovered, daysTotal } = store.status();
          opts.logger.info({ ...result, daysCovered, daysTotal }, `typed event store: ${daysCovered} of ${daysTotal} days typed; built ${result.daysBuilt} in ${(result.elapsedMs / 1000).toFixed(1)} s`);
        }
        const { lastError } = store.status();
        if (lastError) opts.logger.warn({ lastError }, 'typed event store: a day could not be built; it is read by JSON extraction');
      })
      .catch((e: unknown) => {
        if (!stopped) opts.logger.warn({ err: { message: e instanceof Error ? e.message : String(e) } }, 'typed event store: build failed; queries read by JSON extraction where it does not cover');
      });
    return running;
  };

  void sync();
  const timer = setInterval(() => void sync(), opts.intervalMs);
  timer.unref();
  return {
    poke: () => void sync(),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
