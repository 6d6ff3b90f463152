import type { RequestHandler } from 'express';
import { match } from 'path-to-regexp';
import { ProblemTypes } from '@access-monitor/contracts';
import { allows, RoleSet, type Permission, type RoleRegistry } from '@access-monitor/rbac';
import type { IdentityProvider } from '../identity/identity-provider';
import { NO_ROLES_CLAIM_FIX } from '../identity/teleport-identity';
import { sendProblem } from './problem-handler';
import { ROUTE_TABLE, type RouteEntry } from './route-table';

const MATCHERS = ROUTE_TABLE.map((entry) => ({ entry, matches: match(entry.path, { decode: decodeURIComponent }) }));

export function routeEntryFor(
  method: string,
  path: string,
  query: Record<string, unknown> = {},
  headers: Record<string, string | string[] | undefined> = {},
): RouteEntry | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return MATCHERS.find(
    ({ entry, matches }) =>
      entry.method === m &&
      matches(path) !== false &&
      Object.entries(entry.query ?? {}).every(([k, v]) => query[k] === v) &&
      Object.entries(entry.headers ?? {}).every(([k, v]) => headers[k] === v),
  )?.entry;
}

/** Every permission a route needs, all of them required. */
export function requiredPermissions(entry: RouteEntry): readonly Permission[] {
  if ('permission' in entry.access) return [entry.access.permission];
  if ('permissions' in entry.access) return entry.access.permissions;
  return [];
}

/**
 * The one place /api/v1 requests are authenticated and authorized, from ROUTE_TABLE.
 * Unknown routes answer 404 before any handler runs; the server is the only judge.
 */
export function accessControl(deps: { identity: IdentityProvider; roles: RoleRegistry }): RequestHandler {
  return async (req, res, next) => {
    const entry = routeEntryFor(req.method, req.path, req.query as Record<string, unknown>, req.headers);
    res.locals.routeEntry = entry; // the metrics timer labels the request with it
    if (!entry) {
      sendProblem(res, { type: ProblemTypes.notFound, title: 'Not found', status: 404, detail: `No route for ${req.method} /api/v1${req.path}` }, req.originalUrl);
      return;
    }
    if ('public' in entry.access) return next();

    const user = await deps.identity.authenticate(req);
    if (!user) {
      const how = deps.identity.mode === 'local' ? 'sign in first' : 'open access-monitor through Teleport Application Access';
      sendProblem(res, { type: ProblemTypes.unauthenticated, title: 'Authentication required', status: 401, detail: `No valid credentials: ${how}.` }, req.originalUrl);
      return;
    }
    req.user = user;
    req.log = req.log?.child({ user: user.username });
    if ('authenticated' in entry.access) return next();

    const roleSet = new RoleSet(user.roles, deps.roles);
    const missing = requiredPermissions(entry).find((p) => !allows(roleSet, p));
    if (missing) {
      const { kind, verbs } = missing;
      req.log?.info({ kind, verbs }, 'access denied');
      if (user.noRolesClaim) {
        const detail = `This needs ${verbs.join(' and ')} on ${kind}, but Teleport sent no roles for ${user.username}: ${NO_ROLES_CLAIM_FIX}.`;
        sendProblem(res, { type: ProblemTypes.noRolesClaim, title: 'No roles in the Teleport JWT', status: 403, detail }, req.originalUrl);
        return;
      }
      sendProblem(
        res,
        {
          type: ProblemTypes.forbidden,
          title: 'Access denied',
          status: 403,
          detail: `This needs ${verbs.join(' and ')} on ${kind}; your roles (${user.roles.join(', ') || 'none'}) do not grant it. The preset auditor role grants list, read and use on security_report and audit_query.`,
        },
        req.originalUrl,
      );
      return;
    }
    next();
  };
}
