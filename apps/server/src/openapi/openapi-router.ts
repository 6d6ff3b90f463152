import { Router } from 'express';
import { z } from 'zod';
import { defineRoutes, mountRoutes } from '../http/declare-routes';
import { buildOpenApiDocument } from './openapi-document';

export const OPENAPI_ROUTES = defineRoutes<{ document: Record<string, unknown> }>([
  {
    method: 'GET',
    path: '/openapi.json',
    access: { public: true },
    summary: 'This document',
    responses: { 200: z.record(z.string(), z.unknown()) },
    handler: ({ document }, _req, res) => {
      res.json(document);
    },
  },
]);

/** `GET /openapi.json`: the document, built once from the route declarations. */
export function createOpenApiRouter(): Router {
  return mountRoutes(Router(), OPENAPI_ROUTES, { document: buildOpenApiDocument() });
}
