import { Router } from 'express';
import { z } from 'zod';
import {
  CsvDownloadQuery,
  EstimateQuery,
  Execution,
  ExecutionEstimate,
  ExecutionList,
  ExecutionsQuery,
  IsoDate,
  Problem,
  ResultsPage,
  ResultsQuery,
  StartExecution,
} from '@access-monitor/contracts';
import type { ExecutionStatus } from '@access-monitor/engine';
import { PERMISSIONS, type RoleRegistry } from '@access-monitor/rbac';
import type { AppConfig } from '../config/load-config';
import { holds } from '../http/holds-permission';
import { sendCsvDownload } from '../http/csv-download';
import { sendCachedJson, type ServingCache } from '../http/serving-cache';
import { Forbidden, NotFound } from '../domain-errors';
import { ResultExpired } from './execution-errors';
import { defineRoutes, mountRoutes } from '../http/declare-routes';
import type { AuthenticatedUser } from '../identity/identity-provider';
import type { SavedQueries } from '../queries/saved-queries';
import type { ExecutionRecord } from './execution-log';
import { userCaller, type Executions } from './executions-service';
import { presentExecution, resultExpiry } from './present-execution';
import { resolveWindow } from './resolve-window';

const ExecutionId = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an execution id') });

interface ExecutionsDeps {
  executions: Executions;
  config: AppConfig;
  now: () => Date;
  roles: RoleRegistry;
  savedQueries: SavedQueries;
  /** A succeeded execution's result pages are immutable: kept serialised, with ETag and 304 on If-None-Match. */
  servingCache?: ServingCache;
}

/** What the handlers share: the deps and the helpers built over them. */
interface ExecutionsContext extends ExecutionsDeps {
  present: (status: ExecutionStatus, record: Pick<ExecutionRecord, 'user' | 'query' | 'origin' | 'onBehalfOf'> | undefined) => Execution;
  /** The status of a succeeded execution whose result is still retained; 410 once `limits.result_retention` has passed. */
  retained: (id: string) => Promise<ExecutionStatus>;
  /**
   * The saved query an execution claims to come from names its history entry and its CSV download:
   * it must exist and the caller must be allowed to read it. Both failures answer the same 404, so the
   * answer does not tell a user without read which names exist.
   */
  checkSavedQuery: (user: AuthenticatedUser, name: string) => Promise<void>;
}

const runQuery = { permission: PERMISSIONS.runQuery };

/** `/executions…`: running SQL over a window of the audit log, its status, results and history. */
export const EXECUTIONS_ROUTES = defineRoutes<ExecutionsContext>([
  {
    method: 'GET',
    path: '/executions',
    access: runQuery,
    // Everyone's history is for editors; one's own needs only use on audit_query.
    variants: [{ query: { mine: 'false' }, access: { permission: PERMISSIONS.updateQuery } }],
    summary:
      "Query history, newest first: the caller's (mine=true) or everyone's (mine=false, needs update on audit_query); a page of limit, and nextCursor to pass as cursor for the next (a search q may return fewer than limit with a nextCursor)",
    query: ExecutionsQuery,
    responses: { 200: ExecutionList },
    handler: async ({ executions: { engine, log }, present }, req, res) => {
      const { mine, q, limit, cursor } = res.locals.query as ExecutionsQuery;
      const needle = q?.toLowerCase();
      // One page by key: only the records on it are read (a search reads a bounded number, then hands a cursor).
      const page = await log.page({
        ...(mine === 'true' ? { user: req.user!.username } : {}),
        limit,
        ...(cursor ? { cursor } : {}),
        ...(needle ? { matches: (r) => r.sql.toLowerCase().includes(needle) || r.id.includes(needle) || (r.query?.includes(needle) ?? false) } : {}),
      });
      const executions = await Promise.all(page.records.map(async (r) => present(await engine.status(r.id).catch(() => interrupted(r)), r)));
      res.json({ executions, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } satisfies ExecutionList);
    },
  },
  {
    // Before `/executions/:id`, which would otherwise take "estimate" for an id.
    method: 'GET',
    path: '/executions/estimate',
    access: runQuery,
    summary: 'Bytes a run over the window would scan, from the partitions it touches (null when the engine cannot tell), and limits.max_bytes_scanned',
    query: EstimateQuery,
    // EstimateQuery is "days [end]" or "start end"; documented as one object of optional parameters.
    documentedQuery: z.object({ days: z.number().int().optional(), start: IsoDate.optional(), end: IsoDate.optional() }),
    responses: { 200: ExecutionEstimate, 400: Problem },
    handler: async ({ executions: { engine, scanBudget }, config, now }, _req, res) => {
      const window = resolveWindow(res.locals.query as EstimateQuery, now());
      const bytes = engine.estimateBytes ? await engine.estimateBytes(window) : null;
      const max = config.limits.maxBytesScanned;
      const budget = scanBudget ? await scanBudget.state() : undefined;
      res.json({ window, bytes, ...(max !== undefined ? { maxBytesScanned: max } : {}), ...(budget ? { scanBudget: budget } : {}) } satisfies ExecutionEstimate);
    },
  },
  {
    method: 'POST',
    path: '/executions',
    access: runQuery,
    summary: 'Run SQL over a window of the audit log; query names the saved query it came from, which must exist and be readable by the caller (else 404)',
    body: StartExecution,
    responses: { 202: Execution, 400: Problem, 404: Problem, 422: Problem },
    handler: async ({ executions, now, present, checkSavedQuery }, req, res) => {
      const body = req.body as StartExecution;
      const window = resolveWindow(body, now());
      if (body.query !== undefined) await checkSavedQuery(req.user!, body.query);
      // A client retrying the same click sends the same Idempotency-Key and joins the query it started.
      const key = req.get('idempotency-key');
      const { status, record } = await executions.start(userCaller(req.user!.username), {
        sql: body.sql,
        window,
        intent: [key && /^[\w-]{1,128}$/.test(key) ? key : String(req.id)],
        query: body.query,
      });
      res.status(202).location(`/api/v1/executions/${status.id}`).json(present(status, record));
    },
  },
  {
    method: 'GET',
    path: '/executions/:id',
    access: runQuery,
    summary: 'State of an execution',
    params: ExecutionId,
    responses: { 200: Execution, 404: Problem },
    handler: async ({ executions: { engine, log }, present }, req, res) => {
      const id = String(req.params.id);
      res.json(present(await engine.status(id), await log.owner(id)));
    },
  },
  {
    method: 'DELETE',
    path: '/executions/:id',
    access: runQuery,
    summary: "Cancel: stops the engine's query. One's own, or anyone's (server-run ones included) with update on audit_query; otherwise 403",
    params: ExecutionId,
    responses: { 202: Execution, 403: Problem, 404: Problem },
    handler: async ({ executions: { engine, log }, roles, present }, req, res) => {
      const id = String(req.params.id);
      const record = await log.owner(id);
      // Reading a shared result needs only use; stopping someone else's query (or the server's own) is an editor's call.
      if (record?.user !== req.user!.username && !holds(req.user!, roles, PERMISSIONS.updateQuery)) {
        await engine.status(id); // an unknown id is still a 404, not a 403
        const whose = !record ? 'an execution with no recorded owner' : record.user.startsWith('service:') ? `a query the server runs itself (${record.user})` : `${record.user}'s query`;
        throw new Forbidden(`Cancelling ${whose} needs update on audit_query; you may cancel only your own queries.`);
      }
      await engine.cancel(id);
      req.log?.info({ executionId: id, owner: record?.user }, 'execution cancelled');
      res.status(202).json(present(await engine.status(id), record));
    },
  },
  {
    method: 'GET',
    path: '/executions/:id/results',
    access: runQuery,
    summary: 'A page of result rows; 410 …/result-gone once limits.result_retention has passed',
    params: ExecutionId,
    query: ResultsQuery,
    responses: { 200: ResultsPage, 304: null, 409: Problem, 410: Problem },
    handler: async ({ executions: { engine }, retained, servingCache }, req, res) => {
      const { offset, limit } = res.locals.query as ResultsQuery;
      const id = String(req.params.id);
      await retained(id);
      // Only a SUCCEEDED execution has pages (ResultNotReady otherwise, never kept), and they never change.
      if (servingCache) return sendCachedJson(req, res, await servingCache.json(`execution\u0000${id}\u0000${offset}\u0000${limit}`, () => engine.page(id, offset, limit)));
      res.json(await engine.page(id, offset, limit));
    },
  },
  {
    method: 'GET',
    path: '/executions/:id/results.csv',
    access: runQuery,
    summary:
      "The whole result as CSV, streamed with no row cap; named after the saved query (when run from one) and the window. Cells that would start a spreadsheet formula (= + - @ tab CR) get a ' prefix; raw=true gives the stored bytes exactly",
    params: ExecutionId,
    query: CsvDownloadQuery,
    responses: { 200: 'text/csv', 409: Problem, 410: Problem },
    handler: async ({ executions: { engine, log }, retained }, req, res) => {
      const { raw } = res.locals.query as CsvDownloadQuery;
      const id = String(req.params.id);
      const status = await retained(id);
      const stream = await engine.csv(id);
      const record = await log.owner(id);
      await sendCsvDownload(res, stream, { filename: csvFilename(status, record?.query), raw: raw === 'true' });
    },
  },
]);

export function createExecutionsRouter(deps: ExecutionsDeps): Router {
  const { executions, now, roles, savedQueries } = deps;
  const { engine } = executions;
  const retentionMs = deps.config.limits.resultRetentionMs;
  const context: ExecutionsContext = {
    ...deps,
    present: (status, record) =>
      presentExecution(status, engine.name, { user: record?.user, query: record?.query, origin: record?.origin ?? (record ? 'interactive' : undefined), onBehalfOf: record?.onBehalfOf, retentionMs }),
    retained: async (id) => {
      const status = await engine.status(id);
      if (status.state === 'SUCCEEDED' && now() > resultExpiry(status, retentionMs)) {
        throw new ResultExpired(
          `the result of execution ${id} expired on ${resultExpiry(status, retentionMs).toISOString()}: results are kept for ${formatRetention(retentionMs)} (limits.result_retention). Run the query again for fresh rows.`,
        );
      }
      return status;
    },
    checkSavedQuery: async (user, name) => {
      const missing = new NotFound(`query: no saved query named ${name} that you may read (naming one needs read on audit_query)`);
      if (!holds(user, roles, PERMISSIONS.viewQuery)) throw missing;
      try {
        await savedQueries.get(name);
      } catch (e) {
        throw e instanceof NotFound ? missing : e;
      }
    },
  };
  return mountRoutes(Router(), EXECUTIONS_ROUTES, context);
}

/** `<saved query name>_<start>_<end>.csv`, or `audit-query_<start>_<end>_<id prefix>.csv` for unsaved SQL. */
export function csvFilename(status: Pick<ExecutionStatus, 'id' | 'window'>, query: string | undefined): string {
  const { start, end } = status.window;
  return query ? `${query}_${start}_${end}.csv` : `audit-query_${start}_${end}_${status.id.slice(0, 8)}.csv`;
}

/** `7 days`, `1 hour`: a retention as the config would say it. */
const formatRetention = (ms: number): string => {
  const [n, unit] = ms % 86_400_000 === 0 ? [ms / 86_400_000, 'day'] : ms % 3_600_000 === 0 ? [ms / 3_600_000, 'hour'] : [Math.round(ms / 60_000), 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
};

/** A recorded execution the engine no longer knows (its status files are gone). */
function interrupted(r: { id: string; sql: string; window: { start: string; end: string }; submittedAt: string }): ExecutionStatus {
  return {
    id: r.id,
    state: 'FAILED' as const,
    sql: r.sql,
    window: r.window,
    submittedAt: r.submittedAt,
    elapsedMs: 0,
    bytesScanned: 0,
    error: { code: 'RESULT_EXPIRED', message: 'the engine no longer has this execution' },
  };
}
