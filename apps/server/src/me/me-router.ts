import { Router } from 'express';
import { Me, Problem } from '@access-monitor/contracts';
import { RESOURCE_KINDS, RoleSet, type RoleRegistry } from '@access-monitor/rbac';
import type { AppConfig } from '../config/load-config';
import { defineRoutes, mountRoutes } from '../http/declare-routes';
import type { AuthenticatedUser, IdentityProvider } from '../identity/identity-provider';

export function presentMe(user: AuthenticatedUser, mode: IdentityProvider['mode'], roles: RoleRegistry, sessionPlayer?: AppConfig['sessionPlayer']): Me {
  return {
    username: user.username,
    roles: user.roles,
    authMode: mode,
    verbs: new RoleSet(user.roles, roles).effectiveVerbs(RESOURCE_KINDS),
    ...(sessionPlayer ? { sessionPlayer: { proxyUrl: sessionPlayer.proxyUrl, cluster: sessionPlayer.cluster } } : {}),
  };
}

interface MeDeps {
  identity: IdentityProvider;
  roles: RoleRegistry;
  sessionPlayer?: AppConfig['sessionPlayer'];
}

export const ME_ROUTES = defineRoutes<MeDeps>([
  {
    method: 'GET',
    path: '/me',
    access: { authenticated: true },
    summary: 'The caller, their roles and the verbs they hold per resource kind',
    responses: { 200: Me, 401: Problem },
    handler: ({ identity, roles, sessionPlayer }, req, res) => {
      res.json(presentMe(req.user!, identity.mode, roles, sessionPlayer));
    },
  },
]);

export function createMeRouter(deps: MeDeps): Router {
  return mountRoutes(Router(), ME_ROUTES, deps);
}
