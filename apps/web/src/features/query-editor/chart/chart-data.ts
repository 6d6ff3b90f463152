import type { Cell, ChartSpec, ColumnInfo } from '@access-monitor/contracts';
import { isNumericType } from '../../../components/data-table';

/** Rows a chart draws at most: the first ones of the result (the SQL should aggregate first). */
export const CHART_ROW_LIMIT = 5000;
/** Series beyond this many are summed into "other" so the legend stays readable. */
export const MAX_SERIES = 12;
export const OTHER_SERIES = 'other';

export interface ChartData {
  /** One point per distinct x, in the order x first appears: `{ x, [series]: y }`. */
  points: Array<Record<string, string | number>>;
  /** The keys drawn: the y column's name without a series column, else the series values. */
  series: string[];
}

/** A chart for a result: x from its first column, y from its first numeric column other than x. */
export function suggestChart(columns: readonly ColumnInfo[], type: ChartSpec['type'] = 'bar'): ChartSpec | undefined {
  const x = columns[0];
  const y = columns.find((c) => c !== x && isNumericType(c.type));
  return x && y ? { type, x: x.name, y: y.name } : undefined;
}

/** The Y columns a chart draws: `y`, then `moreY`. */
export const yColumns = (spec: ChartSpec): string[] => [spec.y, ...(spec.moreY ?? [])];

/** Whether the spec's columns exist in the result (a saved chart may name columns the edited SQL dropped). */
export const chartFits = (columns: readonly ColumnInfo[], spec: ChartSpec): boolean =>
  [spec.x, ...yColumns(spec), ...(spec.series ? [spec.series] : [])].every((name) => columns.some((c) => c.name === name));

const label = (v: Cell): string => (v === null ? 'NULL' : String(v));

/**
 * Pivots result rows into chart points: one point per x value, one key per series (a series column's value, a Y
 * column's name, or both as `value · y` when there are several Y columns), the largest MAX_SERIES by total kept
 * and the rest summed as "other"; values of the same x and series are summed.
 */
export function chartData(columns: readonly ColumnInfo[], rows: readonly (readonly Cell[])[], spec: ChartSpec): ChartData {
  const xi = columns.findIndex((c) => c.name === spec.x);
  const ys = yColumns(spec).map((name) => ({ name, index: columns.findIndex((c) => c.name === name) }));
  const si = spec.series ? columns.findIndex((c) => c.name === spec.series) : -1;
  if (xi < 0 || ys.some((y) => y.index < 0)) return { points: [], series: [] };

  const seriesOf = (row: readonly Cell[], y: string) => (si < 0 ? y : ys.length > 1 ? `${label(row[si] ?? null)} · ${y}` : label(row[si] ?? null));
  const values = rows.flatMap((row) => ys.map((y) => ({ x: label(row[xi] ?? null), key: seriesOf(row, y.name), value: Number(row[y.index] ?? 0) || 0 })));
  const totals = new Map<string, number>();
  for (const v of values) totals.set(v.key, (totals.get(v.key) ?? 0) + Math.abs(v.value));
  // Ranked by total, except that several Y columns without a series column keep the order they were picked in.
  const ranked = si < 0 ? [...totals.keys()] : [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)!);
  const kept = new Set(ranked.slice(0, ranked.length > MAX_SERIES ? MAX_SERIES - 1 : MAX_SERIES));
  const series = ranked.length > kept.size ? [...ranked.filter((s) => kept.has(s)), OTHER_SERIES] : ranked;

  const byX = new Map<string, Record<string, string | number>>();
  for (const v of values) {
    const key = kept.has(v.key) ? v.key : OTHER_SERIES;
    const point = byX.get(v.x) ?? { x: v.x };
    byX.set(v.x, point);
    point[key] = (Number(point[key] ?? 0) || 0) + v.value;
  }
  // Every point carries every series, so stacked bars and lines have no holes.
  const points = [...byX.values()].map((p) => Object.fromEntries([['x', p.x!], ...series.map((s) => [s, p[s] ?? 0])]));
  return { points, series };
}
