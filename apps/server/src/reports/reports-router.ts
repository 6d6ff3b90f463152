import { Router } from 'express';
import { z } from 'zod';
import {
  AuditQueryDetail,
  Problem,
  REPORT_WINDOWS,
  ReportList,
  ReportRunList,
  ReportRunStarted,
  ReportRunSummary,
  ReportRunsQuery,
  ReportSummary,
  StartReportRun,
} from '@access-monitor/contracts';
import { PERMISSIONS } from '@access-monitor/rbac';
import { findingQuery, type SecurityReport } from '@access-monitor/reports';
import type { ObjectStore } from '@access-monitor/storage';
import type { ScanBudget } from '../executions/scan-budget';
import { NotFound } from '../domain-errors';
import { ReportRerunTooSoon } from './report-errors';
import { defineRoutes, mountRoutes } from '../http/declare-routes';
import { presentQueryDetail, presentReport } from './present-report';
import type { ReportCatalog } from './report-catalog';
import { reportKeys } from '../store-layout';
import type { ReportRuns } from './report-runs';
import { reportWindowOnly } from './report-window';
import { readNewestFirst } from '../revisions/newest-first-log';

const Name = z.string().min(1).max(256);
const ReportParams = z.object({ name: Name });
const QueryParams = z.object({ name: Name, id: Name });

/** How long after a run of a window finished a user may start another (Teleport: one a minute). */
const RERUN_INTERVAL_MS = 60_000;

interface ReportsDeps {
  catalog: ReportCatalog;
  runs: ReportRuns;
  store: ObjectStore;
  now: () => Date;
  /** `limits.scan_budget`: a refresh is refused (429) once it is spent. */
  scanBudget?: ScanBudget | undefined;
}

interface ReportsContext extends ReportsDeps {
  /** A report with its state per window. */
  summary: (report: SecurityReport) => Promise<ReportSummary>;
}

const runReport = { permission: PERMISSIONS.runReport };

/** `/reports…`: the security reports, their audit queries, window states, and starting runs. Definitions need list/read; runs need use. */
export const REPORTS_ROUTES = defineRoutes<ReportsContext>([
  {
    method: 'GET',
    path: '/reports',
    access: { permission: PERMISSIONS.listReports },
    summary: 'Security reports (built-in and imported), each with its state per window (7, 30, 90, 120 days)',
    responses: { 200: ReportList },
    handler: async ({ catalog, summary }, _req, res) => {
      const reports = await catalog.list();
      res.json({ reports: await Promise.all(reports.map(summary)) } satisfies ReportList);
    },
  },
  {
    method: 'GET',
    path: '/reports/:name',
    access: { permission: PERMISSIONS.viewReport },
    summary: 'A security report: its audit queries and its state per window',
    params: ReportParams,
    responses: { 200: ReportSummary, 404: Problem },
    handler: async ({ catalog, summary }, req, res) => {
      res.json(await summary(await catalog.get(String(req.params.name))));
    },
  },
  {
    method: 'GET',
    path: '/reports/:name/queries/:id',
    access: { permission: PERMISSIONS.viewReport },
    summary: "An audit query's definition: chart and detail SQL, severity, recommendation",
    params: QueryParams,
    responses: { 200: AuditQueryDetail, 404: Problem },
    handler: async ({ catalog }, req, res) => {
      const report = await catalog.get(String(req.params.name));
      const query = findingQuery(report, String(req.params.id));
      if (!query) throw new NotFound(`report ${report.name} has no audit query ${String(req.params.id)}; its queries: ${report.queries.map((q) => q.id).join(', ')}`);
      res.json(presentQueryDetail(query));
    },
  },
  {
    method: 'POST',
    path: '/reports/:name/runs',
    access: runReport,
    summary: 'Run the report for a window (RUNNING → READY | FAILED); joins the run of the same report and window already under way',
    guards: [reportWindowOnly('body')],
    params: ReportParams,
    body: StartReportRun,
    responses: { 202: ReportRunStarted, 400: Problem, 404: Problem, 429: Problem },
    handler: async ({ catalog, runs, now, scanBudget }, req, res) => {
      const body = req.body as StartReportRun;
      // Teleport throttles user re-runs of a window to one a minute; a run under way is joined, never refused.
      const current = await runs.state((await catalog.get(String(req.params.name))).name, body.days);
      const sinceMs = current.state === 'READY' && current.finishedAt ? now().getTime() - Date.parse(current.finishedAt) : Infinity;
      // A finish time ahead of our clock (another instance's skew) never blocks a run.
      if (sinceMs >= 0 && sinceMs < RERUN_INTERVAL_MS) {
        const retryAfter = Math.max(1, Math.ceil((RERUN_INTERVAL_MS - sinceMs) / 1000));
        throw new ReportRerunTooSoon(retryAfter); // the error handler sets Retry-After
      }
      // Joining a run under way scans nothing more; a new one needs budget left (its queries reserve their own bytes).
      if (current.state !== 'RUNNING') await scanBudget?.ensureLeft();
      const started = await runs.start(String(req.params.name), { days: body.days, end: body.end, startedBy: req.user!.username });
      req.log?.info({ report: req.params.name, days: body.days, runId: started.runId, joined: started.joined }, 'report run requested');
      res.status(202).location(`/api/v1/runs/${started.runId}`).json(started);
    },
  },
  {
    method: 'GET',
    path: '/reports/:name/runs',
    access: runReport,
    summary: 'Finished runs of the report for one window, newest first',
    guards: [reportWindowOnly('query')],
    params: ReportParams,
    query: ReportRunsQuery,
    responses: { 200: ReportRunList, 400: Problem, 404: Problem },
    handler: async ({ catalog, store }, req, res) => {
      const report = await catalog.get(String(req.params.name));
      const { days, limit } = res.locals.query as ReportRunsQuery;
      const runs = await readNewestFirst(store, reportKeys.runIndexPrefix(report.name, days), { limit, parse: (v) => ReportRunSummary.safeParse(v).data });
      res.json({ runs } satisfies ReportRunList);
    },
  },
]);

export function createReportsRouter(deps: ReportsDeps): Router {
  const { runs } = deps;
  const summary = async (report: SecurityReport) => presentReport(report, await Promise.all(REPORT_WINDOWS.map((days) => runs.state(report.name, days))));
  return mountRoutes(Router(), REPORTS_ROUTES, { ...deps, summary });
}
