import type { ActionSchedule, ActionWindow } from '@access-monitor/contracts';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `every 1h`, `cron 0 9 * * 1-5 (UTC)`: a schedule as the list and the server's logs say it. */
export const describeSchedule = (s: ActionSchedule): string => ('interval' in s ? `every ${s.interval}` : `cron ${s.cron.trim()} (UTC)`);

/** `15m` → 900000; undefined for anything that is not a whole number of minutes, hours or days. */
export function intervalMs(interval: string): number | undefined {
  const m = /^(\d+)(m|h|d)$/.exec(interval.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return ms > 0 ? ms : undefined;
}

/**
 * The next `count` firings of an interval after `now`, aligned to the UTC epoch as the server aligns them
 * (every 1h fires on the hour); empty when the interval cannot be read. Cron schedules are the server's to compute.
 */
export function nextIntervalFirings(interval: string, now: Date, count = 3): Date[] {
  const ms = intervalMs(interval);
  if (ms === undefined) return [];
  const first = (Math.floor(now.getTime() / ms) + 1) * ms;
  return Array.from({ length: count }, (_, i) => new Date(first + i * ms));
}

const WINDOW_LABELS: Record<ActionWindow, string> = {
  '7d': 'last 7 days',
  '30d': 'last 30 days',
  '90d': 'last 90 days',
  '120d': 'last 120 days',
  since_last_firing: 'since the last firing',
};

/** `last 7 days`, `since the last firing`. */
export const describeWindow = (w: ActionWindow): string => WINDOW_LABELS[w];
