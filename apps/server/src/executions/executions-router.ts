import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { z } from 'zod';
import { ExecutionsQuery, ResultsQuery, StartExecution, type ExecutionList } from '@access-monitor/contracts';
import type { QueryEngine } from '@access-monitor/engine';
import type { AppConfig } from '../config/load-config';
import { TooManyRunningQueries } from '../http/errors';
import type { Metrics } from '../metrics/metrics';
import { validate } from '../http/validate';
import type { ExecutionLog } from './execution-log';
import { presentExecution } from './present-execution';
import { resolveWindow } from './resolve-window';

const ExecutionId = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an execution id') });

export function createExecutionsRouter(deps: { engine: QueryEngine; config: AppConfig; log: ExecutionLog; metrics: Metrics; now: () => Date }): Router {
  const { engine, config, log, metrics, now } = deps;
  const router = Router();

  router.get('/executions', validate({ query: ExecutionsQuery }), async (req, res) => {
    const { mine, q, limit } = res.locals.query as ExecutionsQuery;
    const needle = q?.toLowerCase();
    const records = await log.list({
      ...(mine === 'true' ? { user: req.user!.username } : {}),
      limit,
      ...(needle ? { matches: (r) => r.sql.toLowerCase().includes(needle) || r.id.includes(needle) } : {}),
    });
    const executions = await Promise.all(
      records.map(async (r) => presentExecution(await engine.status(r.id).catch(() => interrupted(r)), engine.name, r.user)),
    );
    res.json({ executions } satisfies ExecutionList);
  });

  router.post('/executions', validate({ body: StartExecution }), async (req, res) => {
    const body = req.body as StartExecution;
    const window = resolveWindow(body, now());
    await refuseOverRunningLimit(req.user!.username);
    const ref = await engine.start({
      sql: body.sql,
      window,
      token: randomUUID(),
      ...(config.limits.maxBytesScanned !== undefined ? { maxBytesScanned: config.limits.maxBytesScanned } : {}),
    });
    const status = await engine.status(ref.id);
    await log.record({ id: ref.id, user: req.user!.username, sql: body.sql, window, engine: engine.name, submittedAt: status.submittedAt });
    metrics.executionsStarted.inc({ engine: engine.name });
    req.log?.info({ executionId: ref.id, window }, 'execution started');
    res.status(202).location(`/api/v1/executions/${ref.id}`).json(presentExecution(status, engine.name, req.user!.username));
  });

  /** Counted from the shared execution log and the engine's states, so it holds across instances. */
  async function refuseOverRunningLimit(user: string): Promise<void> {
    const limit = config.limits.maxRunningPerUser;
    const recent = await log.list({ user, limit: 4 * limit + 20 });
    const states = await Promise.all(recent.map((r) => engine.status(r.id).then((s) => s.state, () => 'GONE')));
    const running = states.filter((s) => s === 'QUEUED' || s === 'RUNNING').length;
    if (running >= limit) {
      throw new TooManyRunningQueries(`you have ${running} queries queued or running; at most ${limit} may run at once (limits.max_running_per_user). Wait for one to finish or cancel it.`);
    }
  }

  router.get('/executions/:id', validate({ params: ExecutionId }), async (req, res) => {
    const id = String(req.params.id);
    res.json(presentExecution(await engine.status(id), engine.name, (await log.owner(id))?.user));
  });

  router.delete('/executions/:id', validate({ params: ExecutionId }), async (req, res) => {
    const id = String(req.params.id);
    await engine.cancel(id);
    req.log?.info({ executionId: id }, 'execution cancelled');
    res.status(202).json(presentExecution(await engine.status(id), engine.name, (await log.owner(id))?.user));
  });

  router.get('/executions/:id/results', validate({ params: ExecutionId, query: ResultsQuery }), async (req, res) => {
    const { offset, limit } = res.locals.query as ResultsQuery;
    res.json(await engine.page(String(req.params.id), offset, limit));
  });

  router.get('/executions/:id/results.csv', validate({ params: ExecutionId }), async (req, res) => {
    const id = String(req.params.id);
    const status = await engine.status(id);
    const stream = await engine.csv(id);
    const filename = `access-monitor-${status.window.start}_${status.window.end}-${id}.csv`;
    res.status(200).type('text/csv; charset=utf-8').attachment(filename);
    await pipeline(stream, res);
  });

  return router;
}

/** A recorded execution the engine no longer knows (its status files are gone). */
function interrupted(r: { id: string; sql: string; window: { start: string; end: string }; submittedAt: string }) {
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
