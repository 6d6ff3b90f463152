import type { Request, Router } from 'express';
import type { AuthMode } from '@access-monitor/contracts';

/** Who made a request, as the identity provider established it. Role names only; definitions live in the role registry. */
export interface AuthenticatedUser {
  username: string;
  roles: string[];
  /** Teleport mode: the JWT carried no `roles` claim at all (the app rewrites claims), so the roles are unknown, not none. */
  noRolesClaim?: true;
}

/**
 * Establishes the caller of every API request. `teleport`: the `Teleport-Jwt-Assertion` header
 * from Teleport Application Access; `local`: a signed session cookie issued by `POST /login`.
 * Never falls back to a default identity.
 */
export interface IdentityProvider {
  readonly mode: AuthMode;
  /** The caller, or null when the request carries no valid credential (→ 401). Never throws for bad credentials. */
  authenticate(req: Request): Promise<AuthenticatedUser | null>;
  /** Public routes this mode needs (`POST /login`, `POST /logout` in local mode: session-routes.ts), mounted under /api/v1. */
  publicRoutes?(): Router;
  close?(): Promise<void>;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthenticatedUser;
  }
}
