import type { ChartSpec } from '@access-monitor/contracts';

/** Keys of `UsageOverview.queries`: the SQL behind each overview chart. */
export type OverviewChartId = 'sessionsPerDay' | 'topUsers' | 'mfaCoverage' | 'loginsByHourOfWeek';

/**
 * Each overview chart as the query editor's chart builder draws it from the chart's own SQL, so "Open query"
 * rebuilds it. The hour-of-week grid has no editor equivalent: its query opens as rows.
 */
export const OVERVIEW_QUERY_CHARTS: Readonly<Record<OverviewChartId, ChartSpec | undefined>> = {
  sessionsPerDay: { type: 'stacked-bar', x: 'event_date', y: 'sessions', series: 'protocol' },
  topUsers: { type: 'bar', x: 'user', y: 'sessions' },
  mfaCoverage: { type: 'stacked-bar', x: 'event_date', y: 'with_mfa', moreY: ['without_mfa'] },
  loginsByHourOfWeek: undefined,
};
