import { Router } from 'express';
import { utcToday, windowEndingOn, type UsageOverview } from '@access-monitor/contracts';
import { reportWindowDays } from '../executions/resolve-window';
import { serviceCaller, type Executions } from '../executions/executions-service';
import { buildUsageOverview } from './usage-overview';

const CACHE_MS = 60_000;

export function createUsageRouter(deps: { executions: Executions; now: () => Date }): Router {
  const router = Router();
  // Per-instance memo of in-flight and recent overviews: concurrent dashboard loads share one run.
  const cache = new Map<string, { at: number; value: Promise<UsageOverview> }>();

  router.get('/usage/overview', async (req, res) => {
    const days = reportWindowDays(req.query.days);
    const window = windowEndingOn(utcToday(deps.now()), days);
    const key = `${window.start}/${window.end}`;
    const hit = cache.get(key);
    if (!hit || deps.now().getTime() - hit.at > CACHE_MS) {
      // Shared by every user of the instance: the server's own work, asked for by the first of them.
      const value = buildUsageOverview(deps.executions, serviceCaller('usage', req.user?.username), window, String(req.id));
      cache.set(key, { at: deps.now().getTime(), value });
      value.catch(() => cache.delete(key));
    }
    res.json(await cache.get(key)!.value);
  });

  return router;
}
