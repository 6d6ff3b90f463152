// recharts lives only here, and this module is only reached through lazy-finding-trend.ts (its own chunk).
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartPoint, DateWindow } from '@access-monitor/contracts';
import { formatCount } from '../../../components/number-format';
import { formatUtcDay, formatUtcDayLong } from '../../../components/time-format';
import { OTHER_SERIES, trendData } from '../trend-data';

// Okabe–Ito, then neutrals: distinguishable with colour-vision deficiencies.
const SERIES_COLORS = ['#5b3fd1', '#e69f00', '#009e73', '#0072b2', '#d55e00', '#cc79a7', '#56b4e9', '#8c8c8c'];
const OTHER_COLOR = '#b8bccb';

const dayTick = (date: unknown) => formatUtcDay(String(date));
const dayLabel = (date: unknown) => `${formatUtcDayLong(String(date))} (UTC)`;
const countValue = (n: unknown) => formatCount(Number(n));

/** Teleport's chart of a finding: a bar per UTC day, stacked by user (or the query's series column). */
export function FindingTrendChart({ points, window, seriesLabel }: { points: readonly ChartPoint[]; window: DateWindow; seriesLabel: string }) {
  const { series, days } = trendData(points, window);
  return (
    <ResponsiveContainer width="100%" height={200}>
      <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} desc={`Rows per UTC day, stacked by ${seriesLabel}`}>
        <CartesianGrid vertical={false} className="chart-grid" />
        <XAxis dataKey="date" tickFormatter={dayTick} minTickGap={16} tickLine={false} />
        <YAxis allowDecimals={false} tickFormatter={countValue} width={40} tickLine={false} axisLine={false} />
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
  );
}
