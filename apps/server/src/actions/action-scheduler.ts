import type { Logger } from 'pino';
import type { ResponseAction } from '@access-monitor/contracts';
import type { ActionFirings } from './action-firings';
import type { ResponseActionStore } from './response-actions';
import { slotsOf } from './schedule';

export interface ActionSchedulerDeps {
  rules: Pick<ResponseActionStore, 'list'>;
  firings: Pick<ActionFirings, 'fire' | 'recover'>;
  logger: Logger;
  now: () => Date;
  /** How often rules are checked for a due slot. Default 30 s. */
  tickMs?: number;
}

/**
 * Fires each enabled rule once per schedule slot. Only a rule's latest due slot is fired, so after
 * downtime a missed slot fires once, not once per missed slot; the create-only firing record makes
 * the slot fire once across instances. Each rule fires on its own, so one slow destination never
 * holds up another rule, and a rule that cannot be read is logged and skipped.
 */
export function createActionScheduler(deps: ActionSchedulerDeps) {
  const { rules, firings, logger, now } = deps;
  /** Rules this process is firing, so a long firing is not started again by the next tick. */
  const inFlight = new Map<string, Promise<unknown>>();
  /** The last slot this process saw claimed per rule: a due check without touching the store. */
  const claimed = new Map<string, number>();
  const stopping = new AbortController();

  /** The slot a rule is due to fire, if any: the latest slot, not before the rule's current revision was saved. */
  function dueSlot(rule: ResponseAction, at: Date): Date | undefined {
    if (!rule.enabled) return undefined;
    let slot: Date;
    try {
      slot = slotsOf(rule.schedule).latestAtOrBefore(at);
    } catch (err) {
      logger.warn({ err, rule: rule.name }, 'a response action has a schedule that does not parse; skipped');
      return undefined;
    }
    if (slot.getTime() < Date.parse(rule.savedAt)) return undefined;
    if (claimed.get(rule.name) === slot.getTime()) return undefined;
    return slot;
  }

  /** One pass over the rules; resolves once every due firing has been started (not finished). */
  async function tick(): Promise<{ rules: number; started: number }> {
    const at = now();
    const all = await rules.list({ onCorrupt: (key, err) => logger.error({ key, err }, 'a response action object is corrupt; skipped') });
    let started = 0;
    for (const rule of all) {
      if (inFlight.has(rule.name)) continue;
      const slot = dueSlot(rule, at);
      if (!slot) continue;
      started++;
      const run = firings
        .fire(rule, 'schedule', slot, { signal: stopping.signal })
        .then((f) => {
          claimed.set(rule.name, slot.getTime());
          if (f) logger.info({ rule: rule.name, firingId: f.id, state: f.state }, 'response action fired on schedule');
        })
        .catch((err: unknown) => logger.error({ err, rule: rule.name }, 'a scheduled response action could not fire'))
        .finally(() => inFlight.delete(rule.name));
      inFlight.set(rule.name, run);
    }
    return { rules: all.length, started };
  }

  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<unknown> = Promise.resolve();
  return {
    tick,
    /** Recovers interrupted firings, then ticks every `tickMs`. */
    start(): void {
      const safeTick = () => {
        ticking = tick().catch((err: unknown) => logger.error({ err }, 'the response action scheduler could not list rules'));
      };
      ticking = rules
        .list({ onCorrupt: () => undefined })
        .then((all) => firings.recover(all, stopping.signal))
        .catch((err: unknown) => logger.error({ err }, 'interrupted response action firings could not be recovered'))
        .then(safeTick);
      timer = setInterval(safeTick, deps.tickMs ?? 30_000);
      timer.unref();
    },
    /** Settles when every firing this process started has ended. */
    async drain(): Promise<void> {
      await ticking;
      await Promise.all(inFlight.values());
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      stopping.abort();
      await ticking;
      await Promise.all(inFlight.values());
    },
  };
}
export type ActionScheduler = ReturnType<typeof createActionScheduler>;
