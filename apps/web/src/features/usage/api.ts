import { queryOptions } from '@tanstack/react-query';
import type { UsageChart, UsageFilters, WindowDays } from '@access-monitor/contracts';
import { api } from '../../api/endpoints';
import { filterParams } from './overview-filters';

export const usageKeys = {
  all: ['usage'] as const,
  overview: (days: WindowDays, filters: UsageFilters = {}) => [...usageKeys.all, 'overview', days, filterParams(filters)] as const,
  chart: (days: WindowDays, chart: UsageChart, filters: UsageFilters = {}) => [...usageKeys.overview(days, filters), chart] as const,
};

export const usageOverviewOptions = (days: WindowDays) =>
  queryOptions({
    queryKey: usageKeys.overview(days),
    queryFn: ({ signal }) => api.usageOverview(days, signal),
    // The server memoises overviews for a minute; asking more often gains nothing.
    staleTime: 60_000,
  });

/** One part of the overview, narrowed by the filters: the page asks for each separately, so charts appear as their queries end. */
export const usageChartOptions = (days: WindowDays, chart: UsageChart, filters: UsageFilters = {}) =>
  queryOptions({
    queryKey: usageKeys.chart(days, chart, filters),
    queryFn: ({ signal }) => api.usageChart(days, chart, filterParams(filters), signal),
    staleTime: 60_000,
  });
