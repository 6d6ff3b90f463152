import { USAGE_FILTER_KEYS, UsageFilters } from '@access-monitor/contracts';

/** The overview's filters as the URL holds them (`?user=alice&protocol=ssh`); a value the server would refuse is dropped. */
export function filtersFromParams(params: URLSearchParams): UsageFilters {
  const filters: UsageFilters = {};
  for (const key of USAGE_FILTER_KEYS) {
    const parsed = UsageFilters.shape[key].safeParse(params.get(key) ?? undefined);
    if (parsed.success && parsed.data !== undefined) Object.assign(filters, { [key]: parsed.data });
  }
  return filters;
}

/** `params` with the filters set (empty ones removed), every other parameter (days…) kept. */
export function withFilters(params: URLSearchParams, filters: UsageFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of USAGE_FILTER_KEYS) {
    const value = filters[key]?.trim();
    if (value) next.set(key, value);
    else next.delete(key);
  }
  return next;
}

export const hasFilters = (filters: UsageFilters): boolean => USAGE_FILTER_KEYS.some((k) => filters[k] !== undefined);

/** The filters as query parameters for the API, in a fixed order so equal filters make equal URLs. */
export function filterParams(filters: UsageFilters): Record<string, string> {
  return Object.fromEntries(USAGE_FILTER_KEYS.flatMap((k) => (filters[k] !== undefined ? [[k, filters[k]]] : [])));
}
