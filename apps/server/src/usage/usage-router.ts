import { Router } from 'express';
import { utcToday, windowEndingOn, type UsageOverview } from '@access-monitor/contracts';
import type { QueryEngine } from '@access-monitor/engine';
import { reportWindowDays } from '../executions/resolve-window';
import { buildUsageOverview } from './usage-overview';

const CACHE_MS = 60_000;

export function createUsageRouter(deps: { engine: QueryEngine; now: () => Date; queryTimeoutMs: number }): Router {
  const router = Router();
  // Per-instance memo of in-flight and recent overviews: concurrent dashboard loads share one run.
  const cache = new Map<string, { at: number; value: Promise<UsageOverview> }>();

  router.get('/usage/overview', async (req, res) => {
    const days = reportWindowDays(req.query.days);
    const window = windowEndingOn(utcToday(deps.now()), days);
    const key = `${window.start}/${window.end}`;
    const hit = cache.get(key);
    if (!hit || Date.now() - hit.at > CACHE_MS) {
      const value = buildUsageOverview(deps.engine, window, deps.queryTimeoutMs);
      cache.set(key, { at: Date.now(), value });
      value.catch(() => cache.delete(key));
    }
    res.json(await cache.get(key)!.value);
  });

  return router;
}
