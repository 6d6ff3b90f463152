import { windowDates, type ChartPoint, type DateWindow } from '@access-monitor/contracts';

/** Label of the segment for rows whose series value is NULL. */
export const NO_SERIES = '(none)';
/** Label of the segment gathering every series beyond the largest ones. */
export const OTHER_SERIES = 'Others';

export interface TrendData {
  /** Series drawn as their own segment, largest total first, then `OTHER_SERIES` when some were folded. */
  series: string[];
  /** One entry per day of the window, oldest first, with a (zero-filled) count per series. */
  days: { date: string; counts: Record<string, number> }[];
}

/**
 * Teleport's `event_date, count, user` rows as a stacked bar per day: every day of the window present,
 * the `maxSeries` largest series kept and the rest folded into "Others" so the legend stays readable.
 */
export function trendData(points: readonly ChartPoint[], window: DateWindow, maxSeries = 8): TrendData {
  const totals = new Map<string, number>();
  for (const p of points) {
    const key = p.series ?? NO_SERIES;
    totals.set(key, (totals.get(key) ?? 0) + p.count);
  }
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([key]) => key);
  const fold = ranked.length > maxSeries;
  const kept = new Set(fold ? ranked.slice(0, maxSeries - 1) : ranked);
  const series = fold ? [...kept, OTHER_SERIES] : ranked;

  const byDay = new Map<string, Record<string, number>>();
  for (const date of windowDates(window)) byDay.set(date, Object.fromEntries(series.map((s) => [s, 0])));
  for (const p of points) {
    const day = byDay.get(p.event_date);
    if (!day) continue; // outside the window: the run's window is the truth
    const key = kept.has(p.series ?? NO_SERIES) ? (p.series ?? NO_SERIES) : OTHER_SERIES;
    day[key] = (day[key] ?? 0) + p.count;
  }
  return { series, days: [...byDay.entries()].map(([date, counts]) => ({ date, counts })) };
}
