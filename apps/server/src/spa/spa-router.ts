import { readFile } from 'node:fs/promises';
import path from 'node:path';
import express, { Router } from 'express';

/** The placeholder in index.html that receives the response's CSP nonce (for styles the SQL editor injects). */
const NONCE_META = /<meta name="csp-nonce" content="[^"]*"\s*\/?>/;

/** Serves the built dashboard; any non-API path falls back to index.html so SPA links work. */
export function createSpaRouter(webDist: string): Router {
  const router = Router();
  const index = path.join(webDist, 'index.html');
  router.use(express.static(webDist, { index: false, maxAge: '1h', immutable: false }));
  router.get(/^\/(?!api\/|healthz$).*/, async (_req, res, next) => {
    let html: string;
    try {
      html = await readFile(index, 'utf8');
    } catch {
      return next();
    }
    const nonce = String(res.locals.cspNonce ?? '');
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html.replace(NONCE_META, `<meta name="csp-nonce" content="${nonce}" />`));
  });
  return router;
}
