import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { RequestHandler } from 'express';

/** Sibling files the web build writes beside each asset (see vite.config.ts), best first. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/**
 * Serves `<asset>.br` or `<asset>.gz` from the build to clients whose Accept-Encoding takes it,
 * so the dashboard's JS and CSS are never compressed per request; anything else falls through to express.static.
 */
export function precompressedAssets(webDist: string, maxAgeMs: number): RequestHandler {
  const root = path.resolve(webDist);
  return async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let file: string;
    try {
      file = path.resolve(root, `.${decodeURIComponent(req.path)}`);
    } catch {
      return next();
    }
    if (!file.startsWith(root + path.sep)) return next();
    const available: string[] = [];
    for (const e of ENCODINGS) if (await isFile(file + e.suffix)) available.push(e.name);
    if (available.length === 0) return next();
    res.vary('Accept-Encoding');
    const chosen = req.acceptsEncodings(...available);
    const encoding = ENCODINGS.find((e) => e.name === chosen);
    if (!encoding) return next();
    res.set('Content-Encoding', encoding.name);
    // The type of the asset itself, not of its .br/.gz file.
    res.type(path.extname(file));
    res.sendFile(file + encoding.suffix, { maxAge: maxAgeMs, dotfiles: 'deny' }, (err) => {
      if (err) next(err);
    });
  };
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}
