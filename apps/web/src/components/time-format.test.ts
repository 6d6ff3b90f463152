import { describe, expect, it } from 'vitest';
import { formatInstant, formatUtc, isoInstant, parseInstant, zonedTime } from './time-format';
import { TIME_ZONE_KEY, createTimeZoneSetting, type SettingStorage } from './time-format-setting';

describe('parseInstant', () => {
  it('reads API instants and engine timestamps, taking zone-less values as UTC', () => {
    const expected = '2024-05-01T12:34:56.000Z';
    for (const value of ['2024-05-01T12:34:56.000Z', '2024-05-01 12:34:56', '2024-05-01 12:34:56.000', '2024-05-01 12:34:56 UTC', '2024-05-01T14:34:56+02:00']) {
      expect(parseInstant(value)?.toISOString()).toBe(expected);
    }
  });

  it('leaves values that are not instants alone', () => {
    expect(parseInstant('alice')).toBeUndefined();
    expect(parseInstant('2024-05-01')).toBeUndefined();
    expect(parseInstant('2024-13-45 99:00:00')).toBeUndefined();
  });
});

describe('formatUtc', () => {
  it('shows the instant in UTC to the second', () => {
    expect(formatUtc(new Date('2024-05-01T12:34:56.789Z'))).toBe('2024-05-01 12:34:56 UTC');
  });
});

describe('zoned times', () => {
  // 00:38 UTC on Nov 5 is still Nov 4 in New York: the zone decides the day, so it must be on screen.
  const instant = new Date('2026-11-05T00:38:00Z');
  const ny = { locale: 'en-US', localZone: 'America/New_York' };

  it('shows UTC with its zone by default, to match the UTC-day windows', () => {
    expect(formatInstant(instant, 'utc', ny)).toBe('Nov 5, 2026, 12:38:00 AM UTC');
  });

  it("shows the viewer's zone with its name when they chose local", () => {
    expect(formatInstant(instant, 'local', ny)).toBe('Nov 4, 2026, 7:38:00 PM EST');
    expect(formatInstant(new Date('2026-07-01T12:00:00Z'), 'local', ny)).toBe('Jul 1, 2026, 8:00:00 AM EDT');
  });

  it('puts the other zone in the hover title', () => {
    expect(zonedTime(instant, 'utc', ny)).toEqual({ text: 'Nov 5, 2026, 12:38:00 AM UTC', title: 'Nov 4, 2026, 7:38:00 PM EST' });
    expect(zonedTime(instant, 'local', ny)).toEqual({ text: 'Nov 4, 2026, 7:38:00 PM EST', title: 'Nov 5, 2026, 12:38:00 AM UTC' });
  });
});

describe('isoInstant', () => {
  it('copies instants as ISO 8601 with Z, keeping sub-millisecond digits', () => {
    expect(isoInstant('2026-11-05 00:38:00')).toBe('2026-11-05T00:38:00Z');
    expect(isoInstant('2026-11-05 00:38:00.123456 UTC')).toBe('2026-11-05T00:38:00.123456Z');
    expect(isoInstant('2026-11-05T00:38:00.000Z')).toBe('2026-11-05T00:38:00.000Z');
    expect(isoInstant('2026-11-04T19:38:00-05:00')).toBe('2026-11-05T00:38:00.000Z');
    expect(isoInstant('not a time')).toBe('not a time');
  });
});

describe('the time zone setting', () => {
  const memory = (initial: Record<string, string> = {}): SettingStorage & { data: Record<string, string> } => {
    const data = { ...initial };
    return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
  };

  it('is UTC until the viewer chooses local, and remembers the choice', () => {
    const storage = memory();
    const setting = createTimeZoneSetting(storage);
    expect(setting.get()).toBe('utc');
    let changes = 0;
    setting.subscribe(() => changes++);
    setting.set('local');
    expect(setting.get()).toBe('local');
    expect(storage.data[TIME_ZONE_KEY]).toBe('local');
    expect(changes).toBe(1);
    expect(createTimeZoneSetting(storage).get()).toBe('local');
  });

  it('falls back to UTC for unknown stored values and refused storage', () => {
    expect(createTimeZoneSetting(memory({ [TIME_ZONE_KEY]: 'mars' })).get()).toBe('utc');
    const refusing: SettingStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    const setting = createTimeZoneSetting(refusing);
    expect(setting.get()).toBe('utc');
    setting.set('local');
    expect(setting.get()).toBe('local');
  });

  it('follows a choice made in another tab', () => {
    const storage = memory();
    const setting = createTimeZoneSetting(storage);
    storage.data[TIME_ZONE_KEY] = 'local';
    setting.reload();
    expect(setting.get()).toBe('local');
  });
});
