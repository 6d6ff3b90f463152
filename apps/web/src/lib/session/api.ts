import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import { authModeFromProbe } from './session-problems';

export const sessionKeys = {
  all: ['session'] as const,
  me: () => [...sessionKeys.all, 'me'] as const,
  authMode: () => [...sessionKeys.all, 'auth-mode'] as const,
  login: () => [...sessionKeys.all, 'login'] as const,
  logout: () => [...sessionKeys.all, 'logout'] as const,
};

/** The signed-in user; a 401 here is what the session guard acts on. */
export const meOptions = () =>
  queryOptions({
    queryKey: sessionKeys.me(),
    queryFn: ({ signal }) => api.me(signal),
    // Roles change rarely; any 401 elsewhere invalidates this at once (see providers).
    staleTime: 5 * 60_000,
  });

/** `local` or `teleport`, asked only when `/me` answered 401 and so did not say. */
export const authModeOptions = () =>
  queryOptions({
    queryKey: sessionKeys.authMode(),
    queryFn: ({ signal }) =>
      api.probeAuthMode(signal).then(
        () => authModeFromProbe(undefined),
        (error: unknown) => authModeFromProbe(error),
      ),
    staleTime: Infinity,
  });
