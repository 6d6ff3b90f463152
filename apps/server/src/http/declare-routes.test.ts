import type { AddressInfo } from 'node:net';
import express, { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PERMISSIONS } from '@access-monitor/rbac';
import { createSessionRouter, SESSION_ROUTES } from '../identity/session-routes';
import { buildOpenApiDocument } from '../openapi/openapi-document';
import { defineRoutes, mountRoutes, routeEntries } from './declare-routes';
import { problemHandler } from './problem-handler';
import { ROUTE_DECLARATIONS, ROUTE_TABLE } from './route-table';

const ROUTES = defineRoutes<{ prefix: string }>([
  {
    method: 'GET',
    path: '/things/special',
    access: { permission: PERMISSIONS.listQueries },
    summary: 'declared before /things/:id, so it wins',
    responses: { 200: z.string() },
    handler: ({ prefix }, _req, res) => {
      res.json(`${prefix}special`);
    },
  },
  {
    method: 'GET',
    path: '/things/:id',
    access: { permission: PERMISSIONS.viewQuery },
    variants: [{ query: { all: 'true' }, access: { permission: PERMISSIONS.updateQuery } }],
    summary: 'a thing',
    params: z.object({ id: z.string().regex(/^\d+$/) }),
    responses: { 200: z.string() },
    handler: ({ prefix }, req, res) => {
      res.json(`${prefix}${String(req.params.id)}`);
    },
  },
]);

let url: string;
let close: () => void;
beforeAll(async () => {
  const app = express();
  app.use(mountRoutes(Router(), ROUTES, { prefix: 'thing-' }));
  app.use(problemHandler);
  const server = app.listen(0);
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close?.());

describe('declared routes', () => {
  it('serve in declaration order, validating params before the handler runs', async () => {
    expect(await (await fetch(`${url}/things/special`)).json()).toBe('thing-special');
    expect(await (await fetch(`${url}/things/42`)).json()).toBe('thing-42');
    expect((await fetch(`${url}/things/forty-two`)).status).toBe(400);
  });

  it("put a route's query and header variants before it in the permission table", () => {
    expect(routeEntries(ROUTES).map((e) => [e.path, e.query, e.access])).toEqual([
      ['/things/special', undefined, { permission: PERMISSIONS.listQueries }],
      ['/things/:id', { all: 'true' }, { permission: PERMISSIONS.updateQuery }],
      ['/things/:id', undefined, { permission: PERMISSIONS.viewQuery }],
    ]);
    const creating = ROUTE_TABLE.findIndex((e) => e.method === 'PUT' && e.path === '/queries/:name' && e.headers?.['if-none-match'] === '*');
    const updating = ROUTE_TABLE.findIndex((e) => e.method === 'PUT' && e.path === '/queries/:name' && !e.headers);
    expect(creating).toBeGreaterThanOrEqual(0);
    expect(creating).toBeLessThan(updating);
  });

  it('are refused by the OpenAPI document when the same method and path is declared twice', () => {
    expect(() => buildOpenApiDocument([...ROUTES, ...ROUTES])).toThrow('GET /things/special is declared twice');
  });

  it('include local sign-in and sign-out from the one declaration the identity mounts, public, in the table and the OpenAPI document', () => {
    const mounted = createSessionRouter({ login: () => Promise.reject(new Error('unused')), logout: () => Promise.reject(new Error('unused')) })
      .stack.filter((layer) => layer.route)
      .map((layer) => `${Object.keys((layer.route as unknown as { methods: Record<string, boolean> }).methods)[0]!.toUpperCase()} ${layer.route!.path}`);
    expect(mounted).toEqual(['POST /login', 'POST /logout']);
    for (const route of SESSION_ROUTES) expect(ROUTE_DECLARATIONS).toContain(route);
    expect(ROUTE_TABLE.filter((e) => e.path === '/login' || e.path === '/logout')).toEqual([
      { method: 'POST', path: '/login', access: { public: true } },
      { method: 'POST', path: '/logout', access: { public: true } },
    ]);
    const paths = buildOpenApiDocument().paths as Record<string, Record<string, { security?: unknown[] }>>;
    expect(paths['/api/v1/login']?.post?.security).toEqual([]);
    expect(paths['/api/v1/logout']?.post?.security).toEqual([]);
  });
});
