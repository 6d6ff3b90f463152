import { ChartSpec } from '@access-monitor/contracts';

// A result chart in a page's address, read and written in one place: the query page, a result page and the links to them.

/** `?chart=bar&x=…&y=…[&y=…][&series=…]`; `chart=none` is an explicitly hidden chart; undefined when absent or malformed. */
export function parseChart(params: URLSearchParams): ChartSpec | null | undefined {
  const type = params.get('chart');
  if (type === null) return undefined;
  if (type === 'none') return null;
  const series = params.get('series');
  const [y, ...moreY] = params.getAll('y');
  const parsed = ChartSpec.safeParse({ type, x: params.get('x'), y, ...(moreY.length > 0 ? { moreY } : {}), ...(series ? { series } : {}) });
  return parsed.success ? parsed.data : undefined;
}

/** Writes a chart into `params` as parseChart reads it: `null` as `chart=none`, `'default'` as nothing. */
export function writeChart(params: URLSearchParams, chart: ChartSpec | null | 'default'): void {
  for (const key of ['chart', 'x', 'y', 'series']) params.delete(key);
  if (chart === 'default') return;
  if (chart === null) {
    params.set('chart', 'none');
    return;
  }
  params.set('chart', chart.type);
  params.set('x', chart.x);
  for (const y of [chart.y, ...(chart.moreY ?? [])]) params.append('y', y);
  if (chart.series) params.set('series', chart.series);
}
