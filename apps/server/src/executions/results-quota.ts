import type { QueryEngine } from '@access-monitor/engine';
import { PreconditionFailed, type ObjectStore } from '@access-monitor/storage';
import { resultUsageKeys } from '../store-layout';
import { ResultsQuotaExceeded } from './execution-errors';

interface KeptResult {
  bytes: number;
  expiresAtMs: number;
}

const formatBytes = (n: number): string => (n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} B`);

/**
 * `limits.results_quota_per_user`: the bytes of results a person keeps (results are served for
 * `limits.result_retention`, and the store never deletes, so nobody can free space but by waiting). Each
 * succeeded result of a person's query is noted once, its size in the key; a start is refused while the
 * results still kept reach the quota, with a Retry-After of when enough of them expire.
 */
export function createResultsQuota(deps: { store: ObjectStore; engine: Pick<QueryEngine, 'status' | 'resultBytes'>; now: () => Date; quotaBytes: number; retentionMs: number }) {
  const { store, engine, now, quotaBytes, retentionMs } = deps;

  /** The results `user` still keeps, newest first: the listing stops at the first one past retention. */
  async function kept(user: string): Promise<KeptResult[]> {
    const prefix = resultUsageKeys.userPrefix(user);
    const out: KeptResult[] = [];
    for await (const info of store.list(prefix)) {
      const entry = resultUsageKeys.parse(info.key.slice(prefix.length));
      if (!entry) continue;
      const expiresAtMs = entry.finishedAtMs + retentionMs;
      if (expiresAtMs <= now().getTime()) break; // older ones have expired too
      out.push({ bytes: entry.bytes, expiresAtMs });
    }
    return out;
  }

  return {
    /** Notes the size of a succeeded execution's result against its user (once; other states are not kept). */
    async noteResult(user: string, id: string): Promise<void> {
      const status = await engine.status(id);
      if (status.state !== 'SUCCEEDED') return;
      // The file's size (an S3 HEAD on Athena), never a read of the result.
      const bytes = await engine.resultBytes(id);
      const finishedAtMs = Date.parse(status.finishedAt ?? status.submittedAt);
      await store.put(resultUsageKeys.entry(user, finishedAtMs, id, bytes), '{}', { ifNoneMatch: '*', contentType: 'application/json' }).catch((e: unknown) => {
        if (!(e instanceof PreconditionFailed)) throw e;
      });
    },
    /** Throws ResultsQuotaExceeded while `user`'s kept results reach the quota. */
    async ensureRoom(user: string): Promise<void> {
      const results = await kept(user);
      const used = results.reduce((sum, r) => sum + r.bytes, 0);
      if (used < quotaBytes) return;
      // Oldest first, until what is left is under the quota: that expiry is when a query may start again.
      let left = used;
      let freesAt = now().getTime();
      for (const r of [...results].reverse()) {
        left -= r.bytes;
        freesAt = r.expiresAtMs;
        if (left < quotaBytes) break;
      }
      const retryAfter = Math.max(1, Math.ceil((freesAt - now().getTime()) / 1000));
      throw new ResultsQuotaExceeded(
        retryAfter,
        `your kept results take ${formatBytes(used)} of the ${formatBytes(quotaBytes)} each user may keep (limits.results_quota_per_user). Results are kept for limits.result_retention and cannot be deleted; enough of yours expire at ${new Date(freesAt).toISOString()}, and no new query of yours can start before. Then keep less per query: aggregate, add a LIMIT or select fewer columns.`,
      );
    },
  };
}
export type ResultsQuota = ReturnType<typeof createResultsQuota>;
