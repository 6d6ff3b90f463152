import type { ChartTrend } from '@access-monitor/contracts';

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
