import { Router } from 'express';
import { Problem, UsageOverview, UsageQuery, utcToday, windowEndingOn } from '@access-monitor/contracts';
import { PERMISSIONS } from '@access-monitor/rbac';
import { reportWindowDays } from '../executions/resolve-window';
import { serviceCaller, type Executions } from '../executions/executions-service';
import { defineRoutes, mountRoutes } from '../http/declare-routes';
import { buildUsageOverview } from './usage-overview';

const CACHE_MS = 60_000;

interface UsageDeps {
  executions: Executions;
  now: () => Date;
}

interface UsageContext extends UsageDeps {
  /** Per-instance memo of in-flight and recent overviews: concurrent dashboard loads share one run. */
  cache: Map<string, { at: number; value: Promise<UsageOverview> }>;
}

export const USAGE_ROUTES = defineRoutes<UsageContext>([
  {
    method: 'GET',
    path: '/usage/overview',
    // The usage dashboard is a report over the audit log.
    access: { permission: PERMISSIONS.runReport },
    summary: 'Usage-pattern charts for a 7, 30, 90 or 120-day window',
    // Read by the handler itself: days defaults to 7.
    documentedQuery: UsageQuery,
    responses: { 200: UsageOverview, 400: Problem },
    handler: async ({ executions, now, cache }, req, res) => {
      const days = reportWindowDays(req.query.days);
      const window = windowEndingOn(utcToday(now()), days);
      const key = `${window.start}/${window.end}`;
      const hit = cache.get(key);
      if (!hit || now().getTime() - hit.at > CACHE_MS) {
        // Shared by every user of the instance: the server's own work, asked for by the first of them.
        const value = buildUsageOverview(executions, serviceCaller('usage', req.user?.username), window, String(req.id));
        cache.set(key, { at: now().getTime(), value });
        value.catch(() => cache.delete(key));
      }
      res.json(await cache.get(key)!.value);
    },
  },
]);

export function createUsageRouter(deps: UsageDeps): Router {
  return mountRoutes(Router(), USAGE_ROUTES, { ...deps, cache: new Map() });
}
