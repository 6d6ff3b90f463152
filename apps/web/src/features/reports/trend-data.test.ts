import { describe, expect, it } from 'vitest';
import { foldChart, type ChartPoint, type DateWindow } from '@access-monitor/contracts';
import { NO_SERIES, OTHER_SERIES, trendDays } from './trend-data';

/** Chart points as the finding chart draws them: folded (as the page view sends them), then keyed by series. */
const trendData = (points: readonly ChartPoint[], window: DateWindow, maxSeries?: number) => trendDays(foldChart(points, window, maxSeries));

const window = { start: '2025-03-01', end: '2025-03-03' };

describe('trendData', () => {
  it('gives every day of the window, with zero for days and users without rows', () => {
    const t = trendData(
      [
        { event_date: '2025-03-01', count: 2, series: 'alice' },
        { event_date: '2025-03-03', count: 1, series: 'bob' },
      ],
      window,
    );
    expect(t.series).toEqual(['alice', 'bob']);
    expect(t.days).toEqual([
      { date: '2025-03-01', counts: { alice: 2, bob: 0 } },
      { date: '2025-03-02', counts: { alice: 0, bob: 0 } },
      { date: '2025-03-03', counts: { alice: 0, bob: 1 } },
    ]);
  });

  it('orders series by their total, largest first', () => {
    const t = trendData(
      [
        { event_date: '2025-03-01', count: 1, series: 'alice' },
        { event_date: '2025-03-02', count: 5, series: 'bob' },
      ],
      window,
    );
    expect(t.series).toEqual(['bob', 'alice']);
  });

  it('folds the smallest series into Others, keeping the day totals', () => {
    const points = ['a', 'b', 'c', 'd'].map((user, i) => ({ event_date: '2025-03-02', count: 10 - i, series: user }));
    const t = trendData(points, window, 3);
    expect(t.series).toEqual(['a', 'b', OTHER_SERIES]);
    expect(t.days[1]!.counts).toEqual({ a: 10, b: 9, [OTHER_SERIES]: 8 + 7 });
  });

  it('names rows without a series value', () => {
    const t = trendData([{ event_date: '2025-03-01', count: 3, series: null }], window);
    expect(t.series).toEqual([NO_SERIES]);
    expect(t.days[0]!.counts[NO_SERIES]).toBe(3);
  });

  it('keeps a user called "date" apart from the day', () => {
    const t = trendData([{ event_date: '2025-03-01', count: 4, series: 'date' }], window);
    expect(t.days[0]).toEqual({ date: '2025-03-01', counts: { date: 4 } });
  });
});
