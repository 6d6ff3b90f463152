import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import { describeRejectedLine, followAuditLog, type PollResult } from '@access-monitor/audit-log';

export interface AuditSourceFollowers {
  /** Reads every source once now (also what the timer does); resolves when done. */
  pollNow(): Promise<void>;
  /** Stops the timer and waits for a poll in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Keeps the embedded Parquet folder current with Teleport file audit logs (`audit_sources`).
 * Positions live beside the data they describe (`<dataDir>/.follow/`), so wiping the data folder
 * re-imports everything instead of skipping it. One poll at a time; a failing source is logged and
 * retried on the next tick without stopping the others.
 */
export function startAuditSourceFollowers(opts: {
  sources: readonly string[];
  dataDir: string;
  intervalMs: number;
  logger: Logger;
  /** Events were written to the data folder (the typed event store builds them). */
  onImported?: () => void;
}): AuditSourceFollowers {
  const followers = opts.sources.map((source) => ({
    source,
    follower: followAuditLog({
      source,
      out: opts.dataDir,
      positionsFile: path.join(opts.dataDir, '.follow', `${createHash('sha256').update(source).digest('hex').slice(0, 16)}.json`),
      onRejected: (rejected) => opts.logger.warn({ source }, `audit source line rejected: ${describeRejectedLine(rejected)}`),
    }),
  }));
  let current: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const pollAll = async (): Promise<void> => {
    for (const { source, follower } of followers) {
      try {
        const result: PollResult = await follower.poll();
        if (result.imported > 0 || result.rejected > 0) opts.logger.info({ source, ...result }, 'audit source imported');
        if (result.imported > 0) opts.onImported?.();
      } catch (e) {
        opts.logger.warn({ source, err: { message: (e as Error).message } }, 'audit source could not be read');
      }
    }
  };
  // Every poll, timed or asked for, goes through this chain: a follower never runs twice at once.
  const enqueue = (): Promise<void> => (current = current.then(pollAll));
  const tick = (): void => {
    void enqueue().finally(() => {
      if (!stopped) timer = setTimeout(tick, opts.intervalMs).unref();
    });
  };
  if (followers.length > 0) tick();

  return {
    pollNow: enqueue,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
