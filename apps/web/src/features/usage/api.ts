import { queryOptions } from '@tanstack/react-query';
import type { WindowDays } from '@access-monitor/contracts';
import { api } from '../../api/endpoints';

export const usageKeys = {
  all: ['usage'] as const,
  overview: (days: WindowDays) => [...usageKeys.all, 'overview', days] as const,
};

export const usageOverviewOptions = (days: WindowDays) =>
  queryOptions({
    queryKey: usageKeys.overview(days),
    queryFn: ({ signal }) => api.usageOverview(days, signal),
    // The server memoises overviews for a minute; asking more often gains nothing.
    staleTime: 60_000,
  });
