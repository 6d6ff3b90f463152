import type { AuthMode } from '@access-monitor/contracts';
import { ApiError } from '../../api/client';

/** Nobody is signed in (or the session expired): the session guard sends the user to sign in. */
export const isUnauthenticated = (error: unknown): boolean => error instanceof ApiError && error.status === 401;

/** Signed in, but the user's roles do not allow this: shown as the forbidden panel, never a blank page. */
export const isForbidden = (error: unknown): boolean => error instanceof ApiError && error.status === 403;

/**
 * The auth mode from probing `POST /api/v1/logout` (see api.probeAuthMode): only local mode has that route, so a 404
 * means Teleport mode. Any other answer means local; an unreachable server stays an error.
 */
export function authModeFromProbe(error: unknown): AuthMode {
  if (error === undefined) return 'local';
  if (error instanceof ApiError && error.status === 404) return 'teleport';
  if (error instanceof ApiError && error.status > 0 && error.status < 500) return 'local';
  throw error;
}
