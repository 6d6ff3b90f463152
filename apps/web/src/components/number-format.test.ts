import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatShare } from './number-format';

describe('number formats', () => {
  it('groups counts with commas', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
  });

  it('shows a share as a percentage, or a dash when there is nothing to divide', () => {
    expect(formatShare(1, 3)).toBe('33.3%');
    expect(formatShare(0, 0)).toBe('—');
  });

  it('uses decimal byte units, as Athena bills scanned data', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_500_000)).toBe('1.50 MB');
    expect(formatBytes(25_000_000_000)).toBe('25.0 GB');
  });

  it('shows durations in ms, seconds, then minutes', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(65_000)).toBe('1 min 5 s');
  });
});
