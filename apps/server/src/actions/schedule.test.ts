import { describe, expect, it } from 'vitest';
import { InvalidAction } from './action-errors';
import { slotsOf } from './schedule';

const at = (iso: string) => new Date(iso);

describe('schedules', () => {
  it('aligns intervals to UTC so every instance computes the same slot', () => {
    const hourly = slotsOf({ interval: '1h' });
    expect(hourly.latestAtOrBefore(at('2026-12-04T10:59:59.999Z')).toISOString()).toBe('2026-12-04T10:00:00.000Z');
    expect(hourly.latestAtOrBefore(at('2026-12-04T11:00:00.000Z')).toISOString()).toBe('2026-12-04T11:00:00.000Z');
    expect(hourly.nextAfter(at('2026-12-04T11:00:00.000Z')).toISOString()).toBe('2026-12-04T12:00:00.000Z');
    expect(slotsOf({ interval: '15m' }).latestAtOrBefore(at('2026-12-04T10:44:00Z')).toISOString()).toBe('2026-12-04T10:30:00.000Z');
  });

  it('reads 5-field cron in UTC, counting a slot at exactly the given instant', () => {
    const weekdays9 = slotsOf({ cron: '0 9 * * 1-5' });
    // 2026-12-04 is a Friday; the next weekday 09:00 after Friday 09:00 is Monday.
    expect(weekdays9.latestAtOrBefore(at('2026-12-04T09:00:00Z')).toISOString()).toBe('2026-12-04T09:00:00.000Z');
    expect(weekdays9.latestAtOrBefore(at('2026-12-06T12:00:00Z')).toISOString()).toBe('2026-12-04T09:00:00.000Z');
    expect(weekdays9.nextAfter(at('2026-12-04T09:00:00Z')).toISOString()).toBe('2026-12-07T09:00:00.000Z');
  });

  it('refuses invalid cron and intervals naming the field', () => {
    expect(() => slotsOf({ cron: '0 9 * *' })).toThrow(InvalidAction);
    expect(() => slotsOf({ cron: '61 9 * * *' })).toThrow(/not valid/);
    expect(() => slotsOf({ cron: 'a b c d e' })).toThrow(expect.objectContaining({ path: 'schedule.cron' }));
    expect(() => slotsOf({ interval: '0m' })).toThrow(expect.objectContaining({ path: 'schedule.interval' }));
  });
});
