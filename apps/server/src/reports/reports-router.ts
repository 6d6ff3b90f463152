import { Router } from 'express';
import { z } from 'zod';
import { REPORT_WINDOWS, ReportRunSummary, ReportRunsQuery, StartReportRun, type ReportList, type ReportRunList } from '@access-monitor/contracts';
import { findingQuery, type SecurityReport } from '@access-monitor/reports';
import type { ObjectStore } from '@access-monitor/storage';
import { NotFound, ReportRerunTooSoon } from '../http/errors';
import { validate } from '../http/validate';
import { presentQueryDetail, presentReport } from './present-report';
import type { ReportCatalog } from './report-catalog';
import { reportKeys } from '../store-layout';
import type { ReportRuns } from './report-runs';
import { reportWindowOnly } from './report-window';

const Name = z.string().min(1).max(256);
const ReportParams = z.object({ name: Name });
const QueryParams = z.object({ name: Name, id: Name });

/** `/reports…`: the security reports, their audit queries, window states, and starting runs. */
/** How long after a run of a window finished a user may start another (Teleport: one a minute). */
const RERUN_INTERVAL_MS = 60_000;

export function createReportsRouter(deps: { catalog: ReportCatalog; runs: ReportRuns; store: ObjectStore; now: () => Date }): Router {
  const { catalog, runs, store, now } = deps;
  const router = Router();
  const summary = async (report: SecurityReport) => presentReport(report, await Promise.all(REPORT_WINDOWS.map((days) => runs.state(report.name, days))));

  router.get('/reports', async (_req, res) => {
    const reports = await catalog.list();
    res.json({ reports: await Promise.all(reports.map(summary)) } satisfies ReportList);
  });

  router.get('/reports/:name', validate({ params: ReportParams }), async (req, res) => {
    res.json(await summary(await catalog.get(String(req.params.name))));
  });

  router.get('/reports/:name/queries/:id', validate({ params: QueryParams }), async (req, res) => {
    const report = await catalog.get(String(req.params.name));
    const query = findingQuery(report, String(req.params.id));
    if (!query) throw new NotFound(`report ${report.name} has no audit query ${String(req.params.id)}; its queries: ${report.queries.map((q) => q.id).join(', ')}`);
    res.json(presentQueryDetail(query));
  });

  router.post('/reports/:name/runs', reportWindowOnly('body'), validate({ params: ReportParams, body: StartReportRun }), async (req, res) => {
    const body = req.body as StartReportRun;
    // Teleport throttles user re-runs of a window to one a minute; a run under way is joined, never refused.
    const current = await runs.state((await catalog.get(String(req.params.name))).name, body.days);
    const sinceMs = current.state === 'READY' && current.finishedAt ? now().getTime() - Date.parse(current.finishedAt) : Infinity;
    // A finish time ahead of our clock (another instance's skew) never blocks a run.
    if (sinceMs >= 0 && sinceMs < RERUN_INTERVAL_MS) {
      const retryAfter = Math.max(1, Math.ceil((RERUN_INTERVAL_MS - sinceMs) / 1000));
      res.set('Retry-After', String(retryAfter));
      throw new ReportRerunTooSoon(retryAfter);
    }
    const started = await runs.start(String(req.params.name), { days: body.days, end: body.end, startedBy: req.user!.username });
    req.log?.info({ report: req.params.name, days: body.days, runId: started.runId, joined: started.joined }, 'report run requested');
    res.status(202).location(`/api/v1/runs/${started.runId}`).json(started);
  });

  router.get('/reports/:name/runs', reportWindowOnly('query'), validate({ params: ReportParams, query: ReportRunsQuery }), async (req, res) => {
    const report = await catalog.get(String(req.params.name));
    const { days, limit } = res.locals.query as ReportRunsQuery;
    const keys: string[] = [];
    // Index keys start with the inverted start time: the first ones listed are the newest.
    for await (const info of store.list(reportKeys.runIndexPrefix(report.name, days), { limit })) keys.push(info.key);
    const entries = await Promise.all(keys.map(async (key) => ReportRunSummary.safeParse((await store.getJson(key)).value)));
    res.json({ runs: entries.flatMap((e) => (e.success ? [e.data] : [])) } satisfies ReportRunList);
  });

  return router;
}
