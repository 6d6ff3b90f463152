import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Navigate, useLocation } from 'react-router';
import { toProblem } from '../../../components/problem-panel';
import { authModeOptions } from '../../../lib/session/api';
import { isUnauthenticated } from '../../../lib/session/session-problems';
import { useMe } from '../../../lib/session/use-me';
import { loginPathFor } from '../next-path';
import { sessionGate } from '../session-gate';
import { SessionLoading, SessionProblem, TeleportOnlyPanel } from './session-screens';

/**
 * Renders its children only for a signed-in user. While `/me` answers: a quiet loading state. On 401: the login
 * page in local mode (remembering where the user was going), the "open through Teleport" panel in Teleport mode.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  // Only a 401 without a known mode needs the probe; a user signed in a moment ago told us the mode.
  const mode = useQuery({ ...authModeOptions(), enabled: isUnauthenticated(me.error) && me.data === undefined });
  const gate = sessionGate(me, mode);

  switch (gate.show) {
    case 'loading':
      return <SessionLoading />;
    case 'login':
      return <Navigate to={loginPathFor(location)} replace />;
    case 'teleport-only':
      return <TeleportOnlyPanel />;
    case 'problem': {
      const query = gate.retry === 'me' ? me : mode;
      return <SessionProblem problem={toProblem(gate.error)} onRetry={() => void query.refetch()} retrying={query.isFetching} />;
    }
    case 'app':
      return children;
  }
}
