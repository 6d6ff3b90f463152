import { Router } from 'express';
import type { Me } from '@access-monitor/contracts';
import { RESOURCE_KINDS, RoleSet, type RoleRegistry } from '@access-monitor/rbac';
import type { AuthenticatedUser, IdentityProvider } from '../identity/identity-provider';

export function presentMe(user: AuthenticatedUser, mode: IdentityProvider['mode'], roles: RoleRegistry): Me {
  return { username: user.username, roles: user.roles, authMode: mode, verbs: new RoleSet(user.roles, roles).effectiveVerbs(RESOURCE_KINDS) };
}

export function createMeRouter(deps: { identity: IdentityProvider; roles: RoleRegistry }): Router {
  const router = Router();
  router.get('/me', (req, res) => {
    res.json(presentMe(req.user!, deps.identity.mode, deps.roles));
  });
  return router;
}
