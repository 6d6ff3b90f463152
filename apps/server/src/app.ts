import { randomBytes, randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import compression from 'compression';
import express, { Router, type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { QueryEngine } from '@access-monitor/engine';
import type { RoleRegistry } from '@access-monitor/rbac';
import type { ObjectStore } from '@access-monitor/storage';
import type { AppConfig } from './config/load-config';
import { createExecutionLog } from './executions/execution-log';
import { createActionServices, type ActionServices } from './actions/action-services';
import { createActionsRouter } from './actions/actions-router';
import { createExecutionsRouter } from './executions/executions-router';
import { createExecutions, type Executions } from './executions/executions-service';
import { accessControl } from './http/access-control';
import type { RouteEntry } from './http/route-table';
import { notFoundHandler, problemHandler, sendProblem } from './http/problem-handler';
import { sameOriginWrites } from './http/same-origin';
import type { IdentityProvider } from './identity/identity-provider';
import { createMeRouter } from './me/me-router';
import { createMetrics, type Metrics } from './metrics/metrics';
import { instrumentEngine } from './metrics/instrument-engine';
import { requireMetricsToken } from './metrics/metrics-token';
import { createOpenApiRouter } from './openapi/openapi-router';
import { createSchemaRouter } from './schema/schema-router';
import { createQueriesRouter } from './queries/queries-router';
import { createSavedQueries } from './queries/saved-queries';
import { createSpaRouter } from './spa/spa-router';
import { precompressedAssets } from './spa/precompressed-assets';
import { createUsageRouter } from './usage/usage-router';
import { createOverviewCache, dataVersionOf } from './usage/overview-cache';
import { createReportServices, type ReportServices } from './reports/report-services';
import { createReportsRouter } from './reports/reports-router';
import { createRunsRouter } from './reports/runs-router';
import { createRunPageCache } from './reports/run-page-cache';
import { SERVING_CACHE_BYTES, ServingCache } from './http/serving-cache';
import { createTimelineRouter } from './timeline/timeline-router';
import { createEvidenceRouter } from './evidence/evidence-router';
import { createRunTriage } from './triage/run-triage';
import { createTriageRouter } from './triage/triage-router';
import { createTriage } from './triage/triage-store';
import { ProblemTypes } from '@access-monitor/contracts';
import { READINESS_PREFIX } from './store-layout';

export interface AppDeps {
  config: AppConfig;
  engine: QueryEngine;
  /** Where execution history and other state live (report_results). */
  store: ObjectStore;
  identity: IdentityProvider;
  roles: RoleRegistry;
  logger: Logger;
  /** Injected so tests control "today". */
  clock?: () => Date;
  /** Built dashboard to serve; omitted in API-only tests. */
  webDist?: string;
  /** Report runs shared with the background scheduler (serve builds them); built here when absent. */
  reports?: ReportServices;
  /** The one execution path (serve builds it for the API, report runs and response actions); built here when absent. */
  executions?: Executions;
  /** Shared with the executions' engine when serve instruments it; built here when absent. */
  metrics?: Metrics;
  /** Response actions shared with the background scheduler (serve builds them); built here when absent. */
  actions?: ActionServices;
  /** The bearer token `GET /metrics` needs (serve reads `metrics.bearer_token_file`); without one /metrics answers 404. */
  metricsToken?: string | undefined;
}

/** Builds the whole BFF from a parsed config and its adapters; tests build it the same way. */
export function createApp(deps: AppDeps): Express {
  const now = deps.clock ?? (() => new Date());
  const metrics = deps.metrics ?? createMetrics();
  // serve passes an engine it already instrumented with the same metrics.
  const engine = deps.metrics ? deps.engine : instrumentEngine(deps.engine, metrics);
  const app = express();
  app.disable('x-powered-by');
  // Forwarding headers (client address for the login limiter, https for Secure cookies) only from configured proxies.
  app.set('trust proxy', deps.config.server.trustedProxies?.length ? deps.config.server.trustedProxies : false);

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' },
      // The default serializers would log every header, cookies and Teleport's JWT included.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  // A fresh nonce per response: the SQL editor (CodeMirror) injects its generated stylesheet with it (see spa-router).
  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce as string}'`],
          // recharts positions SVG with style attributes; no inline <style> or script is allowed.
          styleSrcAttr: ["'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
        },
      },
    }),
  );
  app.use((req, res, next) => {
    const end = metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      const api = res.locals.routeEntry as RouteEntry | undefined; // set by accessControl for /api/v1
      end({ route: api ? `/api/v1${api.path}` : req.originalUrl.startsWith('/api/') ? 'unmatched' : 'static', status: String(res.statusCode) });
    });
    next();
  });

  const ops = Router();
  ops.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  ops.get('/readyz', async (req, res) => {
    try {
      if (deps.config.auditEvents.kind === 'parquet') await stat(deps.config.auditEvents.dir);
      for await (const _ of deps.store.list(READINESS_PREFIX, { limit: 1 })) break;
      res.json({ status: 'ready' });
    } catch (err) {
      req.log?.warn({ err }, 'not ready');
      sendProblem(res, { type: ProblemTypes.dataUnavailable, title: 'Not ready', status: 503, detail: 'The audit data or the report_results store is not reachable.' });
    }
  });
  ops.get('/metrics', requireMetricsToken(deps.metricsToken), async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(ops);

  // JSON and CSV answers (CSV keeps streaming); compression() leaves responses that already carry a Content-Encoding alone.
  app.use('/api/v1', compression());
  app.use('/api/v1', createApiRouter({ ...deps, engine, metrics, now }));

  // Built JS/CSS as the .br/.gz files the web build wrote beside them, for clients that accept them.
  if (deps.webDist) app.use(precompressedAssets(deps.webDist, 60 * 60 * 1000));
  if (deps.webDist) app.use(createSpaRouter(deps.webDist));
  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}

/** Everything under /api/v1: access control from ROUTE_TABLE first, then each folder's declared routes. */
export function createApiRouter(deps: AppDeps & { metrics: Metrics; now: () => Date }): Router {
  const { engine, metrics, now } = deps;
  const executions =
    deps.executions ?? deps.reports?.executions ?? createExecutions({ engine, log: createExecutionLog(deps.store), store: deps.store, limits: deps.config.limits, logger: deps.logger, metrics, now });
  const api = Router();
  // One per app: serialised answers shared by every user, each request still checked by accessControl first.
  const servingCache = new ServingCache(deps.config.limits.servingCacheBytes ?? SERVING_CACHE_BYTES);
  // Audit data (rows, events, evidence) must not linger in browser or proxy caches once the user signs out.
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  api.use(sameOriginWrites());
  api.use(accessControl({ identity: deps.identity, roles: deps.roles }));
  api.use(express.json({ limit: '256kb' }));
  api.use(createOpenApiRouter());
  if (deps.identity.publicRoutes) api.use(deps.identity.publicRoutes());
  api.use(createMeRouter({ identity: deps.identity, roles: deps.roles, sessionPlayer: deps.config.sessionPlayer }));
  api.use(createSchemaRouter({ engine }));
  const savedQueries = createSavedQueries(deps.store);
  api.use(createExecutionsRouter({ executions, config: deps.config, now, roles: deps.roles, savedQueries, servingCache }));
  api.use(createQueriesRouter({ queries: savedQueries, now }));
  const reports = deps.reports ?? createReportServices({ engine, store: deps.store, config: deps.config, logger: deps.logger, now, executions });
  api.use(createReportsRouter({ catalog: reports.catalog, runs: reports.runs, store: deps.store, now, scanBudget: executions.scanBudget }));
  const triage = createTriage(deps.store, now, { maxAcceptedRiskDays: deps.config.triage.maxAcceptedRiskDays, catalog: reports.catalog });
  api.use(createTriageRouter({ triage }));
  const runTriage = createRunTriage({ triage, store: deps.store, catalog: reports.catalog });
  const pages = createRunPageCache({ cache: servingCache, results: reports.results, triage: { runs: runTriage, store: triage, catalog: reports.catalog } });
  api.use(createRunsRouter({ results: reports.results, triage: runTriage, pages }));
  api.use(createEvidenceRouter({ results: reports.results, store: deps.store, signingKeyFile: deps.config.evidence.signingKeyFile, now, triage }));
  const actions =
    deps.actions ?? createActionServices({ store: deps.store, executions, catalog: reports.catalog, triage, config: deps.config, logger: deps.logger, now, metrics });
  api.use(createActionsRouter({ rules: actions.rules, firings: actions.firings, config: deps.config.actions, now }));
  api.use(createTimelineRouter({ executions, now }));
  api.use(createUsageRouter({ executions, now, overviews: createOverviewCache({ dataVersion: dataVersionOf(engine), cache: servingCache, now }) }));
  api.use(notFoundHandler);
  return api;
}
