import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { z } from 'zod';
import { ResultsQuery, StartExecution } from '@access-monitor/contracts';
import type { QueryEngine } from '@access-monitor/engine';
import type { AppConfig } from '../config/load-config';
import { validate } from '../http/validate';
import { presentExecution } from './present-execution';
import { resolveWindow } from './resolve-window';

const ExecutionId = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an execution id') });

export function createExecutionsRouter(deps: { engine: QueryEngine; config: AppConfig; now: () => Date }): Router {
  const { engine, config, now } = deps;
  const router = Router();

  router.post('/executions', validate({ body: StartExecution }), async (req, res) => {
    const body = req.body as StartExecution;
    const window = resolveWindow(body, now());
    const ref = await engine.start({
      sql: body.sql,
      window,
      token: randomUUID(),
      ...(config.limits.maxBytesScanned !== undefined ? { maxBytesScanned: config.limits.maxBytesScanned } : {}),
    });
    const status = await engine.status(ref.id);
    req.log?.info({ executionId: ref.id, window }, 'execution started');
    res.status(202).location(`/api/v1/executions/${ref.id}`).json(presentExecution(status, engine.name));
  });

  router.get('/executions/:id', validate({ params: ExecutionId }), async (req, res) => {
    res.json(presentExecution(await engine.status(String(req.params.id)), engine.name));
  });

  router.delete('/executions/:id', validate({ params: ExecutionId }), async (req, res) => {
    const id = String(req.params.id);
    await engine.cancel(id);
    req.log?.info({ executionId: id }, 'execution cancelled');
    res.status(202).json(presentExecution(await engine.status(id), engine.name));
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
