import { foldChart, type ChartPoint, type ChartTrend, type DateWindow } from '@access-monitor/contracts';

export { NO_SERIES, OTHER_SERIES } from '@access-monitor/contracts';

export interface TrendData {
  /** Series drawn as their own segment, largest total first, then `OTHER_SERIES` when some were folded. */
  series: string[];
  /** One entry per day of the window, oldest first, with a (zero-filled) count per series. */
  days: { date: string; counts: Record<string, number> }[];
}

/** A folded chart (the page view's `trend`) as the chart draws it: per day, a count keyed by series label. */
export function trendDays(trend: ChartTrend): TrendData {
  return {
    series: trend.series,
    days: trend.days.map(({ date, counts }) => ({ date, counts: Object.fromEntries(trend.series.map((s, i) => [s, counts[i] ?? 0])) })),
  };
}

/**
 * Teleport's `event_date, count, user` rows as a stacked bar per day: every day of the window present,
 * the `maxSeries` largest series kept and the rest folded into "Others" so the legend stays readable.
 */
export function trendData(points: readonly ChartPoint[], window: DateWindow, maxSeries?: number): TrendData {
  return trendDays(foldChart(points, window, maxSeries));
}
