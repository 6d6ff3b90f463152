import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Me } from '@access-monitor/contracts';
import type { AccessChecker } from '@access-monitor/rbac';
import { accessOf } from './access';
import { meOptions } from './api';

/** `GET /api/v1/me` as a query: pending, the user, or the 401 the guard acts on. */
export const useMe = () => useQuery(meOptions());

/** The signed-in user, for components under the session guard (which renders nothing else until `/me` answered). */
export function useCurrentUser(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentUser is only for pages under RequireSession');
  return data;
}

/** What the signed-in user may do, to hide controls; the server still judges every request. */
export function useAccess(): AccessChecker {
  const me = useCurrentUser();
  return useMemo(() => accessOf(me), [me]);
}
