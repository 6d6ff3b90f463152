import type { DateWindow, RunQueryResult } from '@access-monitor/contracts';
import { paths } from '../../lib/paths';

/**
 * "Open audit query" of a finding: the editor running its detail SQL over the run's window. A finding imported
 * from Teleport has only its chart query, which opens drawn as the finding's chart (stacked bars per day).
 */
export function findingQueryHref(finding: Pick<RunQueryResult, 'detailSql' | 'chartSql' | 'chartSeries'>, window: DateWindow): string {
  const range = { start: window.start, end: window.end };
  if (finding.detailSql) return paths.newQuery({ sql: finding.detailSql, ...range, run: true });
  return paths.newQuery({ sql: finding.chartSql, ...range, run: true, chart: { type: 'stacked-bar', x: 'event_date', y: 'count', series: finding.chartSeries } });
}
