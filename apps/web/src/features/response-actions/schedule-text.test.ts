import { describe, expect, it } from 'vitest';
import { describeSchedule, describeWindow, nextIntervalFirings } from './schedule-text';

describe('describeSchedule', () => {
  it('says an interval as "every …" and a cron expression with its zone', () => {
    expect(describeSchedule({ interval: '1h' })).toBe('every 1h');
    expect(describeSchedule({ cron: '0 9 * * 1-5' })).toBe('cron 0 9 * * 1-5 (UTC)');
  });
});

describe('nextIntervalFirings', () => {
  it('aligns firings to the UTC epoch, as the server does (every 1h fires on the hour)', () => {
    const now = new Date('2024-05-01T12:34:56Z');
    expect(nextIntervalFirings('1h', now).map((d) => d.toISOString())).toEqual(['2024-05-01T13:00:00.000Z', '2024-05-01T14:00:00.000Z', '2024-05-01T15:00:00.000Z']);
    expect(nextIntervalFirings('15m', now, 1).map((d) => d.toISOString())).toEqual(['2024-05-01T12:45:00.000Z']);
  });

  it('fires strictly after now, even on a slot boundary', () => {
    expect(nextIntervalFirings('1d', new Date('2024-05-01T00:00:00Z'), 1)[0]?.toISOString()).toBe('2024-05-02T00:00:00.000Z');
  });

  it('has nothing to say about an unreadable interval', () => {
    expect(nextIntervalFirings('hourly', new Date())).toEqual([]);
    expect(nextIntervalFirings('0m', new Date())).toEqual([]);
  });
});

describe('describeWindow', () => {
  it('says the window in words', () => {
    expect(describeWindow('30d')).toBe('last 30 days');
    expect(describeWindow('since_last_firing')).toBe('since the last firing');
  });
});
