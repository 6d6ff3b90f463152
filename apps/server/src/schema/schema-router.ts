import { Router } from 'express';
import type { QueryEngine } from '@access-monitor/engine';

export function createSchemaRouter(deps: { engine: QueryEngine }): Router {
  const router = Router();
  router.get('/schema', async (_req, res) => {
    res.json(await deps.engine.schema());
  });
  return router;
}
