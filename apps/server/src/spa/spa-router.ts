import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/** Serves the built dashboard; any non-API path falls back to index.html so SPA links work. */
export function createSpaRouter(webDist: string): Router {
  const router = Router();
  const index = path.join(webDist, 'index.html');
  router.use(express.static(webDist, { index: false, maxAge: '1h', immutable: false }));
  router.get(/^\/(?!api\/|healthz$).*/, (_req, res, next) => {
    if (!existsSync(index)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
