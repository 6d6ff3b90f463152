import { Router } from 'express';
import { AuditSchema } from '@access-monitor/contracts';
import type { QueryEngine } from '@access-monitor/engine';
import { PERMISSIONS } from '@access-monitor/rbac';
import { defineRoutes, mountRoutes } from '../http/declare-routes';

interface SchemaDeps {
  engine: QueryEngine;
}

export const SCHEMA_ROUTES = defineRoutes<SchemaDeps>([
  {
    method: 'GET',
    path: '/schema',
    access: { permission: PERMISSIONS.runQuery },
    summary: 'Views over the audit log, their columns, and the compatibility functions',
    responses: { 200: AuditSchema },
    handler: async ({ engine }, _req, res) => {
      res.json(await engine.schema());
    },
  },
]);

export function createSchemaRouter(deps: SchemaDeps): Router {
  return mountRoutes(Router(), SCHEMA_ROUTES, deps);
}
