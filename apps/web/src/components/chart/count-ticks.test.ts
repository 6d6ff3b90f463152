import { describe, expect, it } from 'vitest';
import { countAxis } from './count-ticks';

describe('countAxis', () => {
  it('spaces ticks evenly where recharts skipped one (0/20/40/80)', () => {
    expect(countAxis(71)).toEqual({ top: 80, ticks: [0, 20, 40, 60, 80] });
    expect(countAxis(7)).toEqual({ top: 8, ticks: [0, 2, 4, 6, 8] });
  });

  it('uses only integer steps for small counts', () => {
    expect(countAxis(1).ticks).toEqual([0, 1]);
    expect(countAxis(3).ticks).toEqual([0, 1, 2, 3]);
    expect(countAxis(5).ticks).toEqual([0, 2, 4, 6]);
  });

  it('keeps to round steps for large counts and reaches the largest value', () => {
    const axis = countAxis(1_234);
    expect(axis.ticks).toEqual([0, 500, 1_000, 1_500]);
    expect(axis.top).toBeGreaterThanOrEqual(1_234);
  });

  it('draws 0 and 1 for an empty chart', () => {
    expect(countAxis(0)).toEqual({ top: 1, ticks: [0, 1] });
  });
});
