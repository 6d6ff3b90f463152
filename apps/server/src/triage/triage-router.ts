import { Router } from 'express';
import { z } from 'zod';
import { SaveTriage, TriageQuery, type TriageList } from '@access-monitor/contracts';
import { validate } from '../http/validate';
import type { Triage } from './triage-store';

const Name = z.string().min(1).max(256);
const ReportParams = z.object({ name: Name });
const FindingParams = z.object({ name: Name, id: Name });

/** `/reports/:name/…triage`: the exceptions of a report's findings, and marking one entity of a finding. */
export function createTriageRouter(deps: { triage: Triage }): Router {
  const { triage } = deps;
  const router = Router();

  router.get('/reports/:name/triage', validate({ params: ReportParams, query: TriageQuery }), async (req, res) => {
    const { log } = res.locals.query as TriageQuery;
    const name = String(req.params.name);
    res.json({ triage: log === 'true' ? await triage.log(name) : await triage.inForceOfReport(name) } satisfies z.infer<typeof TriageList>);
  });

  router.put('/reports/:name/findings/:id/triage', validate({ params: FindingParams, body: SaveTriage }), async (req, res) => {
    const record = await triage.set(String(req.params.name), String(req.params.id), req.body as SaveTriage, req.user!.username);
    req.log?.info({ report: record.report, finding: record.finding, status: record.status, revision: record.revision }, 'finding triaged');
    res.status(201).json(record);
  });

  return router;
}
