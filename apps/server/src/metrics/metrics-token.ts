import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { RequestHandler } from 'express';

const MIN_TOKEN_LENGTH = 16;

/** `metrics.bearer_token_file` is unusable (unreadable, too short). */
export class MetricsTokenError extends Error {
  override name = 'MetricsTokenError';
}

/** The token Prometheus must send, from `metrics.bearer_token_file` (surrounding whitespace ignored); undefined when none is configured. */
export async function loadMetricsToken(file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return undefined;
  let token: string;
  try {
    token = (await readFile(file, 'utf8')).trim();
  } catch (e) {
    throw new MetricsTokenError(`${file}: cannot read metrics.bearer_token_file: ${(e as Error).message}`);
  }
  if (token.length < MIN_TOKEN_LENGTH) throw new MetricsTokenError(`${file}: the metrics bearer token must be at least ${MIN_TOKEN_LENGTH} characters`);
  return token;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Guards `GET /metrics`. Without a configured token it answers 404: counts of users' executions and routes are not
 * for anyone who can reach the port (a proxy on the same host makes every client look local, so loopback proves nothing).
 * With one, only `Authorization: Bearer <token>` passes (compared in constant time); anything else is 401.
 */
export function requireMetricsToken(token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : digest(token);
  return (req, res, next) => {
    if (!expected) {
      res.status(404).type('text/plain').send('Not found: set metrics.bearer_token_file to scrape /metrics\n');
      return;
    }
    const [scheme, credentials] = (req.get('authorization') ?? '').split(' ', 2);
    if (scheme?.toLowerCase() === 'bearer' && credentials !== undefined && timingSafeEqual(digest(credentials), expected)) return next();
    res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').type('text/plain').send('Unauthorized: send Authorization: Bearer <metrics.bearer_token_file>\n');
  };
}
