import { queryOptions } from '@tanstack/react-query';
import type { UsageChart, WindowDays } from '@access-monitor/contracts';
import { api } from '../../api/endpoints';

export const usageKeys = {
  all: ['usage'] as const,
  overview: (days: WindowDays) => [...usageKeys.all, 'overview', days] as const,
  chart: (days: WindowDays, chart: UsageChart) => [...usageKeys.overview(days), chart] as const,
};

export const usageOverviewOptions = (days: WindowDays) =>
  queryOptions({
    queryKey: usageKeys.overview(days),
    queryFn: ({ signal }) => api.usageOverview(days, signal),
    // The server memoises overviews for a minute; asking more often gains nothing.
    staleTime: 60_000,
  });

/** One part of the overview: the page asks for each separately, so charts appear as their queries end. */
export const usageChartOptions = (days: WindowDays, chart: UsageChart) =>
  queryOptions({
    queryKey: usageKeys.chart(days, chart),
    queryFn: ({ signal }) => api.usageChart(days, chart, signal),
    staleTime: 60_000,
  });
