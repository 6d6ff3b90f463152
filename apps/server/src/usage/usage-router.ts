import { Router } from 'express';
import { z } from 'zod';
import { Problem, USAGE_CHARTS, UsageFilters, UsageOverview, UsageOverviewPart, UsageQuery, utcToday, windowEndingOn } from '@access-monitor/contracts';
import { PERMISSIONS } from '@access-monitor/rbac';
import { reportWindowDays } from '../executions/resolve-window';
import { serviceCaller, type Executions } from '../executions/executions-service';
import { defineRoutes, mountRoutes } from '../http/declare-routes';
import { sendCachedJson } from '../http/serving-cache';
import type { OverviewCache } from './overview-cache';
import { filtersKey } from './overview-cache';
import { buildUsageChart, buildUsageOverview, usageRows, type UsageRows } from './usage-overview';

interface UsageDeps {
  executions: Executions;
  now: () => Date;
  /** Overviews per window and data version, shared by every user of the instance (ETag, 304 on If-None-Match). */
  overviews: OverviewCache;
}

interface UsageContext extends UsageDeps {
  /** Usage queries running for a window and filters: the parts of one dashboard load (totals, top users…) share them. */
  running: Map<string, ReturnType<UsageRows>>;
}

const ChartParam = z.enum(USAGE_CHARTS).optional();

export const USAGE_ROUTES = defineRoutes<UsageContext>([
  {
    method: 'GET',
    path: '/usage/overview',
    // The usage dashboard is a report over the audit log.
    access: { permission: PERMISSIONS.runReport },
    summary: 'Usage-pattern charts for a 7, 30, 90 or 120-day window, whole or one chart at a time (chart=…), narrowed by user, protocol, cluster and host',
    // Read by the handler itself: days defaults to 7.
    documentedQuery: UsageQuery,
    responses: { 200: z.union([UsageOverview, UsageOverviewPart]), 304: null, 400: Problem },
    handler: async ({ executions, now, overviews, running }, req, res) => {
      const days = reportWindowDays(req.query.days);
      const chart = ChartParam.parse(req.query.chart);
      const filters = UsageFilters.parse({ user: req.query.user, protocol: req.query.protocol, cluster: req.query.cluster, host: req.query.host });
      const filtered = filtersKey(filters);
      const window = windowEndingOn(utcToday(now()), days);
      const caller = serviceCaller('usage', req.user?.username);
      if (!chart) {
        // Shared by every user of the instance: the server's own work, asked for by the first of them.
        sendCachedJson(req, res, await overviews.get(window, () => buildUsageOverview(executions, caller, window, String(req.id), filters), 'overview', filters));
        return;
      }
      const own = usageRows(executions, caller, window, String(req.id), filters);
      const rows: UsageRows = (id) => {
        const key = `${window.start}/${window.end}/${filtered}/${id}`;
        let run = running.get(key);
        if (!run) {
          run = own(id);
          running.set(key, run);
          void run.then(
            () => running.delete(key),
            () => running.delete(key),
          );
        }
        return run;
      };
      sendCachedJson(req, res, await overviews.get(window, () => buildUsageChart(rows, window, chart, filters), chart, filters));
    },
  },
]);

export function createUsageRouter(deps: UsageDeps): Router {
  return mountRoutes(Router(), USAGE_ROUTES, { ...deps, running: new Map() });
}
