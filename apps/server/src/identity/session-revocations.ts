import { PreconditionFailed, type ObjectStore } from '@access-monitor/storage';
import { sessionKeys } from '../store-layout';
import { SESSION_ID_PATTERN } from './session-cookie';

/** How long an instance trusts its own "not revoked" answer: a logout elsewhere takes effect here within this time. */
export const REVOCATION_CACHE_MS = 2_000;
const MAX_CACHED = 10_000;

/**
 * `sessions/revoked/<session id>.json` is kept: the store has no deletes. A record matters only until the session
 * would have expired anyway, so an S3 lifecycle rule on the prefix may expire them after session_ttl.
 */
const revokedKey = sessionKeys.revoked;

export interface SessionRevocations {
  /** Records that the session is over, for every instance sharing the store. Revoking twice is fine. */
  revoke(session: { sessionId: string; username: string; expiresAt: Date }, now: Date): Promise<void>;
  /** Whether the session was revoked, by this instance or any other (seen here within `cacheMs`). */
  isRevoked(sessionId: string): Promise<boolean>;
}

/**
 * Logout as revocation: a signed cookie stays valid until it expires, so each logout writes a create-only record of
 * the session id to the object store, and every request checks it. A revoked answer is cached for good (it never
 * changes back); a "not revoked" one for `cacheMs` at most.
 */
export function createSessionRevocations(store: ObjectStore, opts: { cacheMs?: number } = {}): SessionRevocations {
  const cacheMs = opts.cacheMs ?? REVOCATION_CACHE_MS;
  const cache = new Map<string, { revoked: boolean; at: number; lookup?: Promise<boolean> }>();

  function remember(sessionId: string, entry: { revoked: boolean; at: number; lookup?: Promise<boolean> }): void {
    cache.delete(sessionId);
    cache.set(sessionId, entry);
    while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  }

  return {
    async revoke(session, now) {
      if (!SESSION_ID_PATTERN.test(session.sessionId)) return;
      const record = { user: session.username, revokedAt: now.toISOString(), sessionExpiresAt: session.expiresAt.toISOString() };
      try {
        await store.put(revokedKey(session.sessionId), JSON.stringify(record), { ifNoneMatch: '*', contentType: 'application/json' });
      } catch (e) {
        if (!(e instanceof PreconditionFailed)) throw e; // already revoked
      }
      remember(session.sessionId, { revoked: true, at: Date.now() });
    },

    async isRevoked(sessionId) {
      if (!SESSION_ID_PATTERN.test(sessionId)) return true;
      const hit = cache.get(sessionId);
      if (hit?.revoked) return true;
      if (hit?.lookup) return hit.lookup;
      if (hit && Date.now() - hit.at < cacheMs) return false;
      const lookup = store.head(revokedKey(sessionId)).then((info) => info !== null);
      remember(sessionId, { revoked: false, at: 0, lookup });
      try {
        const revoked = await lookup;
        // A logout on this instance while the lookup was under way wins over the older answer.
        if (cache.get(sessionId)?.revoked) return true;
        remember(sessionId, { revoked, at: Date.now() });
        return revoked;
      } catch (e) {
        if (cache.get(sessionId)?.lookup === lookup) cache.delete(sessionId);
        throw e;
      }
    },
  };
}
