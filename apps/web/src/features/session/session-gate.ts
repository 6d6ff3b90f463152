import type { AuthMode } from '@access-monitor/contracts';
import { isUnauthenticated } from '../../lib/session/session-problems';

export type SessionGate =
  | { show: 'loading' }
  | { show: 'app' }
  | { show: 'login' }
  | { show: 'teleport-only' }
  | { show: 'problem'; error: unknown; retry: 'me' | 'auth-mode' };

interface QueryView<T> {
  isPending: boolean;
  isFetching: boolean;
  error: unknown;
  data: T | undefined;
}

/**
 * What the session guard shows, from the `/me` query and (after a 401) the auth-mode probe.
 * A 401 outranks cached data: the user was signed in a moment ago, but is not now.
 */
export function sessionGate(me: QueryView<{ authMode: AuthMode }>, mode: QueryView<AuthMode>): SessionGate {
  if (me.isPending || (me.error && me.isFetching)) return { show: 'loading' };
  if (isUnauthenticated(me.error)) {
    const authMode = me.data?.authMode ?? mode.data;
    if (authMode === 'teleport') return { show: 'teleport-only' };
    if (authMode === 'local') return { show: 'login' };
    if (mode.error && !mode.isFetching) return { show: 'problem', error: mode.error, retry: 'auth-mode' };
    return { show: 'loading' };
  }
  if (me.error) return { show: 'problem', error: me.error, retry: 'me' };
  return { show: 'app' };
}
