import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import type { Permission } from '@access-monitor/rbac';
import { validate } from './validate';

export type RouteAccess =
  /** Anyone, signed in or not. */
  | { public: true }
  /** Any signed-in user, whatever their roles. */
  | { authenticated: true }
  /** A signed-in user whose roles grant every verb of the permission. */
  | { permission: Permission }
  /** A signed-in user whose roles grant every verb of every one of the permissions. */
  | { permissions: readonly [Permission, ...Permission[]] };

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One line of the permission table the access-control middleware reads. */
export interface RouteEntry {
  method: Method;
  /** Path under /api/v1, in Express syntax. */
  path: string;
  /** Query parameters that select this entry over one without (more specific entries first). */
  query?: Record<string, string>;
  /** Request headers (lower case) that select this entry over one without. */
  headers?: Record<string, string>;
  access: RouteAccess;
}

/** A permission that replaces the route's own when the request carries these query values or headers. */
export interface AccessVariant {
  query?: Record<string, string>;
  headers?: Record<string, string>;
  access: RouteAccess;
}

/** Status → JSON schema of the body; a media type for downloads; null for no content. */
export type ResponseBody = z.ZodType | 'text/csv' | 'application/zip' | null;

/** What a route is, without its handler: enough for the permission table and the OpenAPI document. */
export interface RouteSpec {
  method: Method;
  /** Path under /api/v1, in Express syntax. */
  path: string;
  access: RouteAccess;
  /** Checked before `access`, first match wins. */
  variants?: readonly AccessVariant[];
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  /** The query as documented, when it is not the validated object (a union, or read by the handler itself). */
  documentedQuery?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, ResponseBody>;
}

/** A route declared once: authorize (access, enforced by accessControl) → validate → handler (service call → presenter). */
export interface RouteDeclaration<Ctx> extends RouteSpec {
  /** Checks that must answer before validation does (a report window's own problem type). */
  guards?: readonly RequestHandler[];
  handler: (ctx: Ctx, req: Request, res: Response) => void | Promise<void>;
}

/** A resource folder's routes, in the order Express must try them. */
export function defineRoutes<Ctx>(routes: readonly RouteDeclaration<Ctx>[]): readonly RouteDeclaration<Ctx>[] {
  return routes;
}

/** Registers guards, validate(...) and the handler of each route, in declaration order. */
export function mountRoutes<Ctx>(router: Router, routes: readonly RouteDeclaration<Ctx>[], ctx: Ctx): Router {
  for (const route of routes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    const schemas = {
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
      ...(route.body ? { body: route.body } : {}),
    };
    router[method](route.path, ...(route.guards ?? []), validate(schemas), (req, res) => route.handler(ctx, req, res));
  }
  return router;
}

/** The permission-table lines of some routes: each route's variants first, then the route itself. */
export function routeEntries(specs: readonly RouteSpec[]): RouteEntry[] {
  return specs.flatMap((s) => [
    ...(s.variants ?? []).map((v) => ({ method: s.method, path: s.path, ...(v.query ? { query: v.query } : {}), ...(v.headers ? { headers: v.headers } : {}), access: v.access })),
    { method: s.method, path: s.path, access: s.access },
  ]);
}
