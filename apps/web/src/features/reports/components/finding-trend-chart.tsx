// recharts lives only here, and this module is only reached through lazy-finding-trend.ts (its own chunk).
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartTrend } from '@access-monitor/contracts';
import { ChartFigure } from '../../../components/chart/chart-figure';
import { countAxis } from '../../../components/chart/count-ticks';
import { formatCount } from '../../../components/number-format';
import { formatUtcDay, formatUtcDayLong } from '../../../components/time-format';
import { OTHER_SERIES, trendDays } from '../trend-data';

// Okabe–Ito, then neutrals: distinguishable with colour-vision deficiencies.
const SERIES_COLORS = ['#5b3fd1', '#e69f00', '#009e73', '#0072b2', '#d55e00', '#cc79a7', '#56b4e9', '#8c8c8c'];
const OTHER_COLOR = '#b8bccb';

const dayTick = (date: unknown) => formatUtcDay(String(date));
const dayLabel = (date: unknown) => `${formatUtcDayLong(String(date))} (UTC)`;
const countValue = (n: unknown) => formatCount(Number(n));

/** Every finding chart has the same y-axis width, so days line up across the cards of a report. */
const COUNT_AXIS_WIDTH = 52;

/** Teleport's chart of a finding: a bar per UTC day, stacked by user (or the query's series column). */
export function FindingTrendChart({ trend, seriesLabel }: { trend: ChartTrend; seriesLabel: string }) {
  const { series, days } = trendDays(trend);
  const label = `Rows per UTC day, stacked by ${seriesLabel}`;
  const dayTotal = (d: (typeof days)[number]) => series.reduce((n, s) => n + (d.counts[s] ?? 0), 0);
  const y = countAxis(Math.max(0, ...days.map(dayTotal)));
  const table = {
    columns: ['Day (UTC)', ...series, 'Total'],
    rows: days.map((d) => [formatUtcDayLong(d.date), ...series.map((s) => formatCount(d.counts[s] ?? 0)), formatCount(dayTotal(d))]),
  };
  return (
    <ChartFigure label={label} table={table}>
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} aria-label={label}>
          <CartesianGrid vertical={false} className="chart-grid" />
          <XAxis dataKey="date" tickFormatter={dayTick} minTickGap={16} tickLine={false} />
          <YAxis domain={[0, y.top]} ticks={y.ticks} interval={0} tickFormatter={countValue} width={COUNT_AXIS_WIDTH} tickLine={false} axisLine={false} />
          <Tooltip labelFormatter={dayLabel} formatter={countValue} cursor={{ className: 'chart-cursor' }} />
          <Legend iconType="square" itemSorter={null} />
          {series.map((s, i) => (
            <Bar
              key={s}
              dataKey={(d: (typeof days)[number]) => d.counts[s] ?? 0}
              name={s}
              stackId="rows"
              fill={s === OTHER_SERIES ? OTHER_COLOR : SERIES_COLORS[i % SERIES_COLORS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
