import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Navigate, useLocation } from 'react-router';
import { toProblem } from '../../../components/problem-panel';
import { authModeOptions } from '../api';
import { loginPathFor } from '../next-path';
import { isUnauthenticated } from '../session-problems';
import { useMe } from '../use-me';
import { SessionLoading, SessionProblem, TeleportOnlyPanel } from './session-screens';

/**
 * Renders its children only for a signed-in user. While `/me` answers: a quiet loading state. On 401: the login
 * page in local mode (remembering where the user was going), the "open through Teleport" panel in Teleport mode.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  const unauthenticated = isUnauthenticated(me.error);
  // A user who was signed in a moment ago told us the mode; otherwise ask the server.
  const knownMode = me.data?.authMode;
  const mode = useQuery({ ...authModeOptions(), enabled: unauthenticated && knownMode === undefined });

  if (me.isPending || (me.isError && me.isFetching)) return <SessionLoading />;

  if (unauthenticated) {
    const authMode = knownMode ?? mode.data;
    if (authMode === 'teleport') return <TeleportOnlyPanel />;
    if (authMode === 'local') return <Navigate to={loginPathFor(location)} replace />;
    if (mode.isError) return <SessionProblem problem={toProblem(mode.error)} onRetry={() => void mode.refetch()} retrying={mode.isFetching} />;
    return <SessionLoading />;
  }

  if (me.isError) return <SessionProblem problem={toProblem(me.error)} onRetry={() => void me.refetch()} retrying={me.isFetching} />;

  return children;
}
