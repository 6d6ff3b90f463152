import { USAGE_FILTER_KEYS, type DateWindow, type UsageFilters } from '@access-monitor/contracts';
import type { CachedJson, ServingCache } from '../http/serving-cache';

/** `QueryEngine.dataVersion`: a fingerprint of a window's audit data that changes when events arrive (DuckDB); absent on Athena. */
export type DataVersion = (window: DateWindow) => Promise<string>;

/** The filters as one cache key part, the same whatever order they came in; empty without filters. */
export function filtersKey(filters: UsageFilters): string {
  return USAGE_FILTER_KEYS.some((k) => filters[k] !== undefined) ? JSON.stringify(USAGE_FILTER_KEYS.map((k) => filters[k] ?? null)) : '';
}

/** The engine's data version, bound, when it has one. */
export function dataVersionOf(engine: object): DataVersion | undefined {
  const fn = (engine as { dataVersion?: unknown }).dataVersion;
  return typeof fn === 'function' ? (fn.bind(engine) as DataVersion) : undefined;
}

export interface OverviewCacheOptions {
  /** Absent (Athena): overviews live for `ttlMs`. */
  dataVersion?: DataVersion | undefined;
  cache: ServingCache;
  now: () => Date;
  /** Without a data version (Athena), an overview is rebuilt after this long. Default 60 s. */
  ttlMs?: number;
  /** A data version is trusted this long before the folders are looked at again. Default 1 s. */
  versionCheckMs?: number;
}

/**
 * Overviews computed once per window and version of the data, shared by every user of the instance:
 * with a data version, until events arrive; without one, for `ttlMs`. Concurrent requests share one build.
 */
export function createOverviewCache(opts: OverviewCacheOptions) {
  const { dataVersion, cache, now } = opts;
  const ttlMs = opts.ttlMs ?? 60_000;
  const versionCheckMs = opts.versionCheckMs ?? 1_000;
  const versions = new Map<string, { at: number; version: Promise<string> }>();

  function versionOf(window: DateWindow): Promise<string> {
    const at = now().getTime();
    if (!dataVersion) return Promise.resolve(`t${Math.floor(at / ttlMs)}`);
    const key = `${window.start}/${window.end}`;
    const known = versions.get(key);
    if (known && at - known.at < versionCheckMs) return known.version;
    const version = dataVersion(window);
    versions.set(key, { at, version });
    version.catch(() => versions.delete(key));
    // Old windows (yesterday's) are not asked for again.
    if (versions.size > 16) versions.delete(versions.keys().next().value!);
    return version;
  }

  return {
    /**
     * The window's overview (or one `part` of it) under `filters` as served JSON, built by `build` only when no answer
     * for this data version and these filters is kept.
     */
    async get(window: DateWindow, build: () => Promise<unknown>, part = 'overview', filters: UsageFilters = {}): Promise<CachedJson> {
      const version = await versionOf(window);
      const filtered = filtersKey(filters);
      return cache.json(`${part}\u0000${window.start}\u0000${window.end}\u0000${version}${filtered ? `\u0000${filtered}` : ''}`, build);
    },
  };
}
export type OverviewCache = ReturnType<typeof createOverviewCache>;
