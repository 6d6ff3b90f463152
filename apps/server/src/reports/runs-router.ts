import { Router } from 'express';
import { z } from 'zod';
import { CsvDownloadQuery, ResultsQuery } from '@access-monitor/contracts';
import { sendCsvDownload } from '../http/csv-download';
import { validate } from '../http/validate';
import type { RunTriage } from '../triage/run-triage';
import type { RunResults } from './run-results';

const RunParams = z.object({ runId: z.string().min(1).max(64) });
const RunQueryParams = z.object({ runId: z.string().min(1).max(64), id: z.string().min(1).max(256) });

/**
 * `/runs/:runId…`: an immutable report run (the permalink's target) and its findings' rows; with
 * triage, each finding's open and triaged row counts and each row's exception in force as read now.
 */
export function createRunsRouter(deps: { results: RunResults; triage?: RunTriage }): Router {
  const { results, triage } = deps;
  const router = Router();

  router.get('/runs/:runId', validate({ params: RunParams }), async (req, res) => {
    const run = await results.manifest(String(req.params.runId));
    res.json(triage ? await triage.withCounts(run) : run);
  });

  router.get('/runs/:runId/queries/:id/rows', validate({ params: RunQueryParams, query: ResultsQuery }), async (req, res) => {
    const { offset, limit } = res.locals.query as ResultsQuery;
    const runId = String(req.params.runId);
    const page = await results.page(runId, String(req.params.id), offset, limit);
    res.json(triage ? await triage.annotatePage(await results.manifest(runId), String(req.params.id), page) : page);
  });

  router.get('/runs/:runId/queries/:id/rows.csv', validate({ params: RunQueryParams, query: CsvDownloadQuery }), async (req, res) => {
    const { raw } = res.locals.query as CsvDownloadQuery;
    const queryId = String(req.params.id);
    const { run, stream } = await results.csv(String(req.params.runId), queryId);
    await sendCsvDownload(res, stream, { filename: `${run.report}-${queryId}-${run.window.start}_${run.window.end}.csv`, raw: raw === 'true' });
  });

  return router;
}
