// recharts lives only here, and this module is only reached through lazy-usage-charts.ts (its own chunk).
import { Bar, BarChart, CartesianGrid, ComposedChart, LabelList, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { SESSION_PROTOCOLS, type UsageOverview } from '@access-monitor/contracts';
import { ChartFigure } from '../../../components/chart/chart-figure';
import { countAxis } from '../../../components/chart/count-ticks';
import { formatCount, formatShare } from '../../../components/number-format';
import { formatUtcDay, formatUtcDayLong } from '../../../components/time-format';
import { MFA_COLORS, PROTOCOL_COLORS, PROTOCOL_LABELS, SESSIONS_COLOR } from '../chart-colors';

const HEIGHT = 280;
/** Per-day charts share their plot's left and right edges, so the same day sits at the same x in each. */
const DAY_AXIS_WIDTH = 52;
const COVERAGE_AXIS_WIDTH = 48;
const DAY_MARGIN = { top: 8, right: 8, bottom: 0, left: 0 } as const;

const dayTick = (date: unknown) => formatUtcDay(String(date));
const dayLabel = (date: unknown) => `${formatUtcDayLong(String(date))} (UTC)`;
const countTick = (n: unknown) => formatCount(Number(n));
const countValue = (n: unknown) => formatCount(Number(n));

const sessionsOf = (d: UsageOverview['sessionsPerDay'][number]) => SESSION_PROTOCOLS.reduce((n, p) => n + d[p], 0);

export function SessionsPerDayChart({ data }: { data: UsageOverview['sessionsPerDay'] }) {
  const label = 'Sessions started per UTC day, by protocol';
  const y = countAxis(Math.max(0, ...data.map(sessionsOf)));
  const table = {
    columns: ['Day (UTC)', ...SESSION_PROTOCOLS.map((p) => PROTOCOL_LABELS[p]), 'Total'],
    rows: data.map((d) => [formatUtcDayLong(d.date), ...SESSION_PROTOCOLS.map((p) => formatCount(d[p])), formatCount(sessionsOf(d))]),
  };
  return (
    <ChartFigure label={label} table={table}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        {/* Room on the right as wide as the MFA chart's coverage axis keeps both plots the same width. */}
        <BarChart data={data} margin={{ ...DAY_MARGIN, right: DAY_MARGIN.right + COVERAGE_AXIS_WIDTH }} aria-label={label}>
          <CartesianGrid vertical={false} className="chart-grid" />
          <XAxis dataKey="date" tickFormatter={dayTick} minTickGap={16} tickLine={false} />
          <YAxis domain={[0, y.top]} ticks={y.ticks} interval={0} tickFormatter={countTick} width={DAY_AXIS_WIDTH} tickLine={false} axisLine={false} />
          <Tooltip labelFormatter={dayLabel} formatter={countValue} cursor={{ className: 'chart-cursor' }} />
          <Legend iconType="square" itemSorter={null} />
          {SESSION_PROTOCOLS.map((p) => (
            <Bar key={p} dataKey={p} name={PROTOCOL_LABELS[p]} stackId="sessions" fill={PROTOCOL_COLORS[p]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

const truncate = (text: unknown, max = 22) => {
  const s = String(text);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

export function TopUsersChart({ data }: { data: UsageOverview['topUsers'] }) {
  const label = 'Users with the most sessions in the window';
  const x = countAxis(Math.max(0, ...data.map((d) => d.sessions)));
  const table = { columns: ['User', 'Sessions'], rows: data.map((d) => [d.user, formatCount(d.sessions)]) };
  return (
    <ChartFigure label={label} table={table}>
      <ResponsiveContainer width="100%" height={Math.max(HEIGHT, data.length * 28 + 40)}>
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 40, bottom: 0, left: 0 }} aria-label={label}>
          <CartesianGrid horizontal={false} className="chart-grid" />
          <XAxis type="number" domain={[0, x.top]} ticks={x.ticks} interval={0} tickFormatter={countTick} tickLine={false} />
          <YAxis type="category" dataKey="user" width={164} tickFormatter={(u) => truncate(u, 22)} tickLine={false} interval={0} />
          <Tooltip formatter={countValue} cursor={{ className: 'chart-cursor' }} />
          <Bar dataKey="sessions" name="Sessions" fill={SESSIONS_COLOR} isAnimationActive={false} barSize={16}>
            <LabelList dataKey="sessions" position="right" formatter={countValue} className="chart-value-label" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

export function MfaCoverageChart({ data }: { data: UsageOverview['mfaCoverage'] }) {
  const label = 'Sessions per UTC day with and without per-session MFA, and the share with MFA';
  const rows = data.map((d) => {
    const total = d.withMfa + d.withoutMfa;
    return { ...d, coverage: total > 0 ? Math.round((d.withMfa / total) * 1000) / 10 : null };
  });
  const y = countAxis(Math.max(0, ...data.map((d) => d.withMfa + d.withoutMfa)));
  const table = {
    columns: ['Day (UTC)', 'With MFA', 'Without MFA', 'MFA coverage'],
    rows: data.map((d) => [formatUtcDayLong(d.date), formatCount(d.withMfa), formatCount(d.withoutMfa), formatShare(d.withMfa, d.withMfa + d.withoutMfa)]),
  };
  return (
    <ChartFigure label={label} table={table}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <ComposedChart data={rows} margin={DAY_MARGIN} aria-label={label}>
          <CartesianGrid vertical={false} yAxisId="sessions" className="chart-grid" />
          <XAxis dataKey="date" tickFormatter={dayTick} minTickGap={16} tickLine={false} />
          <YAxis
            yAxisId="sessions"
            domain={[0, y.top]}
            ticks={y.ticks}
            interval={0}
            tickFormatter={countTick}
            width={DAY_AXIS_WIDTH}
            tickLine={false}
            axisLine={false}
          />
          <YAxis
            yAxisId="coverage"
            orientation="right"
            domain={[0, 100]}
            ticks={[0, 25, 50, 75, 100]}
            interval={0}
            unit="%"
            width={COVERAGE_AXIS_WIDTH}
            tickLine={false}
            axisLine={false}
          />
          <Tooltip
            labelFormatter={dayLabel}
            formatter={(value, name) => (name === 'MFA coverage' ? `${String(value)}%` : countValue(value))}
            cursor={{ className: 'chart-cursor' }}
          />
          <Legend iconType="square" itemSorter={null} />
          <Bar yAxisId="sessions" dataKey="withMfa" name="With MFA" stackId="mfa" fill={MFA_COLORS.withMfa} isAnimationActive={false} />
          <Bar yAxisId="sessions" dataKey="withoutMfa" name="Without MFA" stackId="mfa" fill={MFA_COLORS.withoutMfa} isAnimationActive={false} />
          <Line
            yAxisId="coverage"
            dataKey="coverage"
            name="MFA coverage"
            type="linear"
            stroke={MFA_COLORS.coverage}
            strokeWidth={2}
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
