import { Router } from 'express';
import { z } from 'zod';
import { Problem, SaveTriage, TriageList, TriageQuery, TriageRecord } from '@access-monitor/contracts';
import { PERMISSIONS } from '@access-monitor/rbac';
import { defineRoutes, mountRoutes } from '../http/declare-routes';
import type { Triage } from './triage-store';

const Name = z.string().min(1).max(256);
const ReportParams = z.object({ name: Name });
const FindingParams = z.object({ name: Name, id: Name });

interface TriageDeps {
  triage: Triage;
}

/**
 * `/reports/:name/…triage`: the exceptions of a report's findings, and marking one entity of a finding.
 * Reading the exceptions goes with reading results; marking an entity changes the report's outcome.
 */
export const TRIAGE_ROUTES = defineRoutes<TriageDeps>([
  {
    method: 'GET',
    path: '/reports/:name/triage',
    access: { permission: PERMISSIONS.runReport },
    summary: 'Triage exceptions in force for every finding of the report (accepted risks not yet expired, false positives); with log=true every revision, newest first',
    params: ReportParams,
    query: TriageQuery,
    responses: { 200: TriageList, 400: Problem, 404: Problem },
    handler: async ({ triage }, req, res) => {
      const { log } = res.locals.query as TriageQuery;
      const name = String(req.params.name);
      res.json({ triage: log === 'true' ? await triage.log(name) : await triage.inForceOfReport(name) } satisfies z.infer<typeof TriageList>);
    },
  },
  {
    method: 'PUT',
    path: '/reports/:name/findings/:id/triage',
    access: { permission: PERMISSIONS.updateReport },
    summary:
      "Triage one entity of a finding (its entity columns' values): accepted_risk until expires (at most triage.max_accepted_risk_days ahead), false_positive, or open again; each save is a new immutable revision",
    params: FindingParams,
    body: SaveTriage,
    responses: { 201: TriageRecord, 400: Problem, 404: Problem, 409: Problem },
    handler: async ({ triage }, req, res) => {
      const record = await triage.set(String(req.params.name), String(req.params.id), req.body as SaveTriage, req.user!.username);
      req.log?.info({ report: record.report, finding: record.finding, status: record.status, revision: record.revision }, 'finding triaged');
      res.status(201).json(record);
    },
  },
]);

export function createTriageRouter(deps: TriageDeps): Router {
  return mountRoutes(Router(), TRIAGE_ROUTES, deps);
}
