import type { RequestHandler } from 'express';
import { ProblemTypes } from '@access-monitor/contracts';
import { sendProblem } from './problem-handler';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie-authenticated writes must come from our own pages (CSRF defence beside SameSite=Strict):
 * `Sec-Fetch-Site: same-origin`, or an `Origin` equal to this server's. Requests with neither header
 * (curl, scripts) carry no ambient browser cookie risk and pass.
 */
export function sameOriginWrites(): RequestHandler {
  return (req, res, next) => {
    if (SAFE.has(req.method)) return next();
    const site = req.get('sec-fetch-site');
    const origin = req.get('origin');
    const own = `${req.protocol}://${req.get('host')}`;
    const crossSite = (site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && origin !== own);
    if (!crossSite) return next();
    sendProblem(
      res,
      { type: ProblemTypes.forbidden, title: 'Cross-origin write refused', status: 403, detail: `Writes must come from ${own}; this request came from ${origin ?? site}.` },
      req.originalUrl,
    );
  };
}
