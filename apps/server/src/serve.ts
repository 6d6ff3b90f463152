import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp } from './app';
import { answerClientErrorsWithProblems } from './http/client-error-problems';
import { createReportStoreFor, localStateDirFor } from './aws/aws-for-config';
import { startAuditSourceFollowers } from './audit-sources/follow-audit-sources';
import type { AppConfig } from './config/load-config';
import { createActionServices } from './actions/action-services';
import { createEngineFor } from './engine-for-config';
import { startTypedStoreSync } from './typed-store/typed-store-sync';
import { createTriage } from './triage/triage-store';
import { createExecutionLog } from './executions/execution-log';
import { createExecutions } from './executions/executions-service';
import { createMetrics } from './metrics/metrics';
import { instrumentEngine } from './metrics/instrument-engine';
import { loadMetricsToken } from './metrics/metrics-token';
import { createIdentityForConfig } from './identity/identity-for-config';
import { presentMe } from './me/me-router';
import { loadRoleRegistry } from './roles/load-role-files';
import { createReportServices } from './reports/report-services';
import { startReportScheduler } from './reports/report-scheduler';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the BFF for a config; resolves once it listens. */
export async function serve(config: AppConfig, opts: { logger: Logger; webDist?: string }): Promise<RunningServer> {
  const stateDir = localStateDirFor(config);
  await mkdir(stateDir, { recursive: true });
  const roles = await loadRoleRegistry(config.roleFiles);
  const store = createReportStoreFor(config);
  const metricsToken = await loadMetricsToken(config.metrics?.bearerTokenFile);
  const identity = await createIdentityForConfig(config.auth, { store, logger: opts.logger, present: (user) => presentMe(user, config.auth.mode, roles, config.sessionPlayer) });
  const rawEngine = await createEngineFor(config, stateDir, (message) => opts.logger.warn(message));
  const metrics = createMetrics();
  const engine = instrumentEngine(rawEngine, metrics);
  const now = () => new Date();
  const executions = createExecutions({ engine, log: createExecutionLog(store), store, limits: config.limits, logger: opts.logger.child({ component: 'executions' }), metrics, now });
  const typedSync = rawEngine.typedStore ? startTypedStoreSync(rawEngine.typedStore, { logger: opts.logger.child({ component: 'typed-store' }), intervalMs: 60_000 }) : undefined;
  const followers =
    config.auditEvents.kind === 'parquet'
      ? startAuditSourceFollowers({ sources: config.auditSources, dataDir: config.auditEvents.dir, intervalMs: config.auditSourcesIntervalMs, logger: opts.logger, onImported: () => typedSync?.poke() })
      : undefined;
  // One set of report services for the API and the background refresh, so their runs join.
  const reports = createReportServices({ engine, store, config, logger: opts.logger, now, executions });
  const triage = createTriage(store, now, { maxAcceptedRiskDays: config.triage.maxAcceptedRiskDays, catalog: reports.catalog });
  const actions = createActionServices({ store, executions, catalog: reports.catalog, triage, config, logger: opts.logger, now, metrics });
  const app = createApp({ config, engine, store, identity, roles, logger: opts.logger, reports, executions, metrics, actions, metricsToken, ...(opts.webDist ? { webDist: opts.webDist } : {}) });
  const server = app.listen(config.server.port, config.server.host);
  answerClientErrorsWithProblems(server);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  actions.scheduler.start();
  const scheduler = startReportScheduler({ ...reports, store, logger: opts.logger.child({ component: 'report-scheduler' }), now, config: config.reports });
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      // Runs still going end FAILED when the engine closes; if the process dies first, the next start recovers them.
      await Promise.race([Promise.all([scheduler.stop(), actions.scheduler.stop()]), new Promise((r) => setTimeout(r, 1000).unref())]);
      await followers?.stop();
      await executions.close();
      await engine.close();
      await identity.close?.();
    },
  };
}
