// recharts lives only here, and this module is only reached through lazy-usage-charts.ts (its own chunk).
import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { SESSION_PROTOCOLS, type UsageOverview } from '@access-monitor/contracts';
import { formatCount } from '../../../components/number-format';
import { formatUtcDay, formatUtcDayLong } from '../../../components/time-format';
import { MFA_COLORS, PROTOCOL_COLORS, PROTOCOL_LABELS, SESSIONS_COLOR } from '../chart-colors';

const HEIGHT = 260;
const dayTick = (date: unknown) => formatUtcDay(String(date));
const dayLabel = (date: unknown) => `${formatUtcDayLong(String(date))} (UTC)`;
const countTick = (n: unknown) => formatCount(Number(n));
const countValue = (n: unknown) => formatCount(Number(n));

export function SessionsPerDayChart({ data }: { data: UsageOverview['sessionsPerDay'] }) {
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} desc="Sessions started per UTC day, stacked by protocol">
        <CartesianGrid vertical={false} className="chart-grid" />
        <XAxis dataKey="date" tickFormatter={dayTick} minTickGap={16} tickLine={false} />
        <YAxis allowDecimals={false} tickFormatter={countTick} width={48} tickLine={false} axisLine={false} />
        <Tooltip labelFormatter={dayLabel} formatter={countValue} cursor={{ className: 'chart-cursor' }} />
        <Legend iconType="square" itemSorter={null} />
        {SESSION_PROTOCOLS.map((p) => (
          <Bar key={p} dataKey={p} name={PROTOCOL_LABELS[p]} stackId="sessions" fill={PROTOCOL_COLORS[p]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

const truncate = (text: unknown, max = 22) => {
  const s = String(text);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

export function TopUsersChart({ data }: { data: UsageOverview['topUsers'] }) {
  return (
    <ResponsiveContainer width="100%" height={Math.max(HEIGHT, data.length * 26 + 40)}>
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 0 }} desc="Users with the most sessions in the window">
        <CartesianGrid horizontal={false} className="chart-grid" />
        <XAxis type="number" allowDecimals={false} tickFormatter={countTick} tickLine={false} />
        <YAxis type="category" dataKey="user" width={150} tickFormatter={(u) => truncate(u)} tickLine={false} interval={0} />
        <Tooltip formatter={countValue} cursor={{ className: 'chart-cursor' }} />
        <Bar dataKey="sessions" name="Sessions" fill={SESSIONS_COLOR} isAnimationActive={false} barSize={16} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function MfaCoverageChart({ data }: { data: UsageOverview['mfaCoverage'] }) {
  const rows = data.map((d) => {
    const total = d.withMfa + d.withoutMfa;
    return { ...d, coverage: total > 0 ? Math.round((d.withMfa / total) * 1000) / 10 : null };
  });
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <ComposedChart data={rows} margin={{ top: 8, right: 0, bottom: 0, left: 0 }} desc="Sessions per UTC day with and without per-session MFA, and the share with MFA">
        <CartesianGrid vertical={false} className="chart-grid" />
        <XAxis dataKey="date" tickFormatter={dayTick} minTickGap={16} tickLine={false} />
        <YAxis yAxisId="sessions" allowDecimals={false} tickFormatter={countTick} width={48} tickLine={false} axisLine={false} />
        <YAxis yAxisId="coverage" orientation="right" domain={[0, 100]} unit="%" width={44} tickLine={false} axisLine={false} />
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
  );
}
