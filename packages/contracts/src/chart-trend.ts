import { z } from 'zod';
import { IsoDate, windowDates, type DateWindow } from './window';

/** Label of the segment for rows whose series value is NULL. */
export const NO_SERIES = '(none)';
/** Label of the segment gathering every series beyond the largest ones. */
export const OTHER_SERIES = 'Others';
/** Segments a finding's chart draws: the seven largest series and "Others". */
export const TREND_SERIES = 8;

/** A finding's chart as the report page draws it: a stacked bar per UTC day of the run's window. */
export const ChartTrend = z.object({
  /** Segment labels, largest total first, then `OTHER_SERIES` when smaller series were folded into it. */
  series: z.array(z.string()),
  /** Every day of the window, oldest first, with one count per entry of `series` (zero when none). */
  days: z.array(z.object({ date: IsoDate, counts: z.array(z.number()) })),
});
export type ChartTrend = z.infer<typeof ChartTrend>;

/** The points of a chart (Teleport's `event_date, count, user` rows), as ChartPoint has them. */
interface TrendPoint {
  event_date: string;
  count: number;
  series: string | null;
}

/**
 * Chart points as a stacked bar per day: every day of the window present (points outside it dropped: the
 * run's window is the truth), the `maxSeries` largest series kept and the rest folded into "Others" so the
 * legend stays readable. The same folding wherever a chart is drawn, in the browser or for the page view.
 */
export function foldChart(points: readonly TrendPoint[], window: DateWindow, maxSeries = TREND_SERIES): ChartTrend {
  const totals = new Map<string, number>();
  for (const p of points) {
    const key = p.series ?? NO_SERIES;
    totals.set(key, (totals.get(key) ?? 0) + p.count);
  }
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([key]) => key);
  const fold = ranked.length > maxSeries;
  const kept = fold ? ranked.slice(0, maxSeries - 1) : ranked;
  const series = fold ? [...kept, OTHER_SERIES] : ranked;
  const column = new Map(kept.map((s, i) => [s, i]));
  const other = fold ? series.length - 1 : -1;

  const days = windowDates(window).map((date) => ({ date, counts: series.map(() => 0) }));
  const dayIndex = new Map(days.map((d, i) => [d.date, i]));
  for (const p of points) {
    const day = dayIndex.get(p.event_date);
    if (day === undefined) continue;
    const i = column.get(p.series ?? NO_SERIES) ?? other;
    days[day]!.counts[i]! += p.count;
  }
  return { series, days };
}
