import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { QueryEngine } from '@access-monitor/engine';
import type { AppConfig } from './config/load-config';
import { createExecutionsRouter } from './executions/executions-router';
import { createHealthRouter } from './health/health-router';
import { notFoundHandler, problemHandler } from './http/problem-handler';
import { createSchemaRouter } from './schema/schema-router';
import { createSpaRouter } from './spa/spa-router';
import { createUsageRouter } from './usage/usage-router';

export interface AppDeps {
  config: AppConfig;
  engine: QueryEngine;
  logger: Logger;
  /** Injected so tests control "today". */
  clock?: () => Date;
  /** Built dashboard to serve; omitted in API-only tests. */
  webDist?: string;
}

/** Builds the whole BFF from a parsed config and its adapters; tests build it the same way. */
export function createApp(deps: AppDeps): Express {
  const now = deps.clock ?? (() => new Date());
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' },
    }),
  );
  app.use(createHealthRouter());

  const api = express.Router();
  api.use(express.json({ limit: '256kb' }));
  api.use(createSchemaRouter({ engine: deps.engine }));
  api.use(createExecutionsRouter({ engine: deps.engine, config: deps.config, now }));
  api.use(createUsageRouter({ engine: deps.engine, now, queryTimeoutMs: deps.config.limits.queryTimeoutMs }));
  api.use(notFoundHandler);
  app.use('/api/v1', api);

  if (deps.webDist) app.use(createSpaRouter(deps.webDist));
  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}
