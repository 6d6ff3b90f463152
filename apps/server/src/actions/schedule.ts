import { CronExpressionParser } from 'cron-parser';
import type { ActionSchedule } from '@access-monitor/contracts';
import { InvalidAction } from './action-errors';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** When a rule fires: slots are instants in UTC; a rule fires at most once per slot. */
export interface Slots {
  /** The latest slot at or before `t`. */
  latestAtOrBefore(t: Date): Date;
  /** The first slot strictly after `t`. */
  nextAfter(t: Date): Date;
}


/** Intervals are aligned to the UTC epoch (every 1h fires on the hour); cron is 5 fields, UTC, minute precision. */
export function slotsOf(schedule: ActionSchedule): Slots {
  if ('interval' in schedule) {
    const m = /^(\d+)(m|h|d)$/.exec(schedule.interval);
    const ms = m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : 0;
    if (ms < 60_000 || ms > 366 * 86_400_000) throw new InvalidAction(`interval ${schedule.interval} must be between 1m and 366d`, 'schedule.interval');
    return {
      latestAtOrBefore: (t) => new Date(Math.floor(t.getTime() / ms) * ms),
      nextAfter: (t) => new Date((Math.floor(t.getTime() / ms) + 1) * ms),
    };
  }
  const fields = schedule.cron.trim().split(/\s+/);
  if (fields.length !== 5) throw new InvalidAction(`cron "${schedule.cron}" must have 5 fields (minute hour day-of-month month day-of-week), in UTC`, 'schedule.cron');
  const parse = (at: Date) => {
    try {
      return CronExpressionParser.parse(fields.join(' '), { currentDate: at, tz: 'UTC', strict: false });
    } catch (e) {
      throw new InvalidAction(`cron "${schedule.cron}" is not valid: ${e instanceof Error ? e.message : String(e)}`, 'schedule.cron');
    }
  };
  parse(new Date(0));
  return {
    // prev() is strictly before its start: start one millisecond later so a slot at exactly t counts.
    latestAtOrBefore: (t) => parse(new Date(t.getTime() + 1)).prev().toDate(),
    nextAfter: (t) => parse(t).next().toDate(),
  };
}

/** `every 1h`, `cron 0 9 * * 1-5 (UTC)`: a schedule as the list and logs say it. */
export const describeSchedule = (s: ActionSchedule): string => ('interval' in s ? `every ${s.interval}` : `cron ${s.cron} (UTC)`);
