import { Router } from 'express';
import { Problem, UsageOverview, UsageQuery, utcToday, windowEndingOn } from '@access-monitor/contracts';
import { PERMISSIONS } from '@access-monitor/rbac';
import { reportWindowDays } from '../executions/resolve-window';
import { serviceCaller, type Executions } from '../executions/executions-service';
import { defineRoutes, mountRoutes } from '../http/declare-routes';
import { sendCachedJson } from '../http/serving-cache';
import type { OverviewCache } from './overview-cache';
import { buildUsageOverview } from './usage-overview';

interface UsageDeps {
  executions: Executions;
  now: () => Date;
  /** Overviews per window and data version, shared by every user of the instance (ETag, 304 on If-None-Match). */
  overviews: OverviewCache;
}

export const USAGE_ROUTES = defineRoutes<UsageDeps>([
  {
    method: 'GET',
    path: '/usage/overview',
    // The usage dashboard is a report over the audit log.
    access: { permission: PERMISSIONS.runReport },
    summary: 'Usage-pattern charts for a 7, 30, 90 or 120-day window',
    // Read by the handler itself: days defaults to 7.
    documentedQuery: UsageQuery,
    responses: { 200: UsageOverview, 304: null, 400: Problem },
    handler: async ({ executions, now, overviews }, req, res) => {
      const days = reportWindowDays(req.query.days);
      const window = windowEndingOn(utcToday(now()), days);
      // Shared by every user of the instance: the server's own work, asked for by the first of them.
      const overview = await overviews.get(window, () => buildUsageOverview(executions, serviceCaller('usage', req.user?.username), window, String(req.id)));
      sendCachedJson(req, res, overview);
    },
  },
]);

export function createUsageRouter(deps: UsageDeps): Router {
  return mountRoutes(Router(), USAGE_ROUTES, deps);
}
