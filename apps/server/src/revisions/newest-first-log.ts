import type { ObjectStore } from '@access-monitor/storage';

/**
 * Reads a log whose keys start with an inverted time (`store-layout.ts` `invertedTime`), so the store's
 * lexicographic listing yields the newest entries first and nothing needs sorting. Entries that do not
 * parse are skipped (one bad object never hides the others); `matches` filters; at most `limit`.
 */
export async function readNewestFirst<T>(
  store: ObjectStore,
  prefix: string,
  opts: { limit: number; parse: (value: unknown) => T | undefined; matches?: (entry: T) => boolean },
): Promise<T[]> {
  const out: T[] = [];
  if (opts.limit <= 0) return out;
  for await (const info of store.list(prefix, opts.matches ? {} : { limit: opts.limit })) {
    const entry = opts.parse((await store.getJson(info.key)).value);
    if (entry === undefined || (opts.matches && !opts.matches(entry))) continue;
    out.push(entry);
    if (out.length >= opts.limit) break;
  }
  return out;
}
