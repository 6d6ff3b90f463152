import { describe, expect, it } from 'vitest';
import { formatUtc, parseInstant } from './time-format';

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
