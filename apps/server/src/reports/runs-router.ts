import { Router } from 'express';
import { z } from 'zod';
import { CsvDownloadQuery, FindingRowsPage, Problem, ReportRun, ResultsQuery, RunView } from '@access-monitor/contracts';
import { PERMISSIONS } from '@access-monitor/rbac';
import { sendCsvDownload } from '../http/csv-download';
import { defineRoutes, mountRoutes } from '../http/declare-routes';
import { sendCachedJson } from '../http/serving-cache';
import type { RunTriage } from '../triage/run-triage';
import { pageView, type RunPageCache } from './run-page-cache';
import type { RunResults } from './run-results';

const RunParams = z.object({ runId: z.string().min(1).max(64) });
const RunQueryParams = z.object({ runId: z.string().min(1).max(64), id: z.string().min(1).max(256) });

interface RunsDeps {
  results: RunResults;
  triage?: RunTriage;
  /** Serialised answers kept per version (ETag, 304 on If-None-Match); access control has run before any handler. */
  pages?: RunPageCache;
}

const runReport = { permission: PERMISSIONS.runReport };

/**
 * `/runs/:runId…`: an immutable report run (the permalink's target) and its findings' rows; with
 * triage, each finding's open and triaged row counts and each row's exception in force as read now.
 */
export const RUNS_ROUTES = defineRoutes<RunsDeps>([
  {
    method: 'GET',
    path: '/runs/:runId',
    access: runReport,
    summary:
      'An immutable report run (the permalink): per query its state, row count, chart, period diff and SHA-256. view=page answers what the report page draws: each chart folded into its 8 largest series per day (trend) instead of every point',
    params: RunParams,
    query: RunView,
    responses: { 200: ReportRun, 304: null, 400: Problem, 404: Problem, 410: Problem },
    handler: async ({ results, triage, pages }, req, res) => {
      const { view } = res.locals.query as RunView;
      if (pages) return sendCachedJson(req, res, await pages.run(String(req.params.runId), view));
      const manifest = await results.manifest(String(req.params.runId));
      const run = triage ? await triage.withCounts(manifest) : manifest;
      res.json(view === 'page' ? pageView(run) : run);
    },
  },
  {
    method: 'GET',
    path: '/runs/:runId/queries/:id/rows',
    access: runReport,
    summary: "A page of a finding's detail rows, as stored by the run, with the finding's entity columns and each row's triage exception in force (or null)",
    params: RunQueryParams,
    query: ResultsQuery,
    responses: { 200: FindingRowsPage, 304: null, 404: Problem, 409: Problem, 410: Problem },
    handler: async ({ results, triage, pages }, req, res) => {
      const { offset, limit } = res.locals.query as ResultsQuery;
      const runId = String(req.params.runId);
      if (pages) return sendCachedJson(req, res, await pages.rows(runId, String(req.params.id), offset, limit));
      const page = await results.page(runId, String(req.params.id), offset, limit);
      res.json(triage ? await triage.annotatePage(await results.manifest(runId), String(req.params.id), page) : page);
    },
  },
  {
    method: 'GET',
    path: '/runs/:runId/queries/:id/rows.csv',
    access: runReport,
    summary: "A finding's detail rows as CSV, streamed; named <report>-<query>-<start>_<end>.csv. Spreadsheet-safe like results.csv unless raw=true",
    params: RunQueryParams,
    query: CsvDownloadQuery,
    responses: { 200: 'text/csv', 404: Problem, 409: Problem, 410: Problem },
    handler: async ({ results }, req, res) => {
      const { raw } = res.locals.query as CsvDownloadQuery;
      const queryId = String(req.params.id);
      const { run, stream } = await results.csv(String(req.params.runId), queryId);
      await sendCsvDownload(res, stream, { filename: `${run.report}-${queryId}-${run.window.start}_${run.window.end}.csv`, raw: raw === 'true' });
    },
  },
]);

export function createRunsRouter(deps: RunsDeps): Router {
  return mountRoutes(Router(), RUNS_ROUTES, deps);
}
