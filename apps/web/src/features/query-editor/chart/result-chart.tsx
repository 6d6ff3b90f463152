import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartSpec } from '@access-monitor/contracts';
import { useOneChartStop } from '../../../components/chart/one-chart-stop';
import type { ChartData } from './chart-data';

const HEIGHT = 320;
// Okabe–Ito and neighbours: distinguishable with colour-vision deficiencies, in legend order.
const PALETTE = ['#5b3fd1', '#009e73', '#e69f00', '#0072b2', '#d55e00', '#cc79a7', '#56b4e9', '#1f2937', '#f0e442', '#8c6d31', '#7f7f7f', '#b07aa1'];
const colorOf = (i: number) => PALETTE[i % PALETTE.length]!;

/** Line, bar or stacked-bar chart of pivoted result rows (recharts; loaded with this module only). */
export default function ResultChart({ spec, data }: { spec: ChartSpec; data: ChartData }) {
  const common = { data: data.points, margin: { top: 8, right: 16, bottom: 8, left: 8 } };
  const desc = `${[spec.y, ...(spec.moreY ?? [])].join(', ')} by ${spec.x}${spec.series ? ` and ${spec.series}` : ''}`;
  const wrapper = useOneChartStop<HTMLDivElement>();
  const axes = (
    <>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="x" tick={{ fontSize: 12 }} minTickGap={16} />
      <YAxis tick={{ fontSize: 12 }} width={64} allowDecimals={false} />
      <Tooltip />
      {data.series.length > 1 ? <Legend /> : null}
    </>
  );
  return (
    <div ref={wrapper}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        {spec.type === 'line' ? (
          <LineChart {...common} desc={desc} aria-label={`Chart of ${desc}`}>
            {axes}
            {data.series.map((s, i) => (
              <Line key={s} dataKey={s} name={s} stroke={colorOf(i)} strokeWidth={2} dot={data.points.length < 40} isAnimationActive={false} />
            ))}
          </LineChart>
        ) : (
          <BarChart {...common} desc={desc} aria-label={`Chart of ${desc}`}>
            {axes}
            {data.series.map((s, i) => (
              <Bar key={s} dataKey={s} name={s} fill={colorOf(i)} stackId={spec.type === 'stacked-bar' ? 'stack' : undefined} isAnimationActive={false} />
            ))}
          </BarChart>
        )}
      </ResponsiveContainer>
    </div>
  );
}
