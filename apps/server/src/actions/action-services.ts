import os from 'node:os';
import type { Logger } from 'pino';
import type { ObjectStore } from '@access-monitor/storage';
import type { AppConfig } from '../config/load-config';
import type { Executions } from '../executions/executions-service';
import type { Metrics } from '../metrics/metrics';
import { createSavedQueries } from '../queries/saved-queries';
import type { ReportCatalog } from '../reports/report-catalog';
import type { Triage } from '../triage/triage-store';
import { createActionFirings } from './action-firings';
import { createActionScheduler } from './action-scheduler';
import type { TctlRunner } from './delivery/teleport-lock';
import { createResponseActionStore } from './response-actions';

/** Everything response actions need, built once per process over the shared store (API, scheduler, CLI). */
export function createActionServices(deps: {
  store: ObjectStore;
  executions: Executions;
  catalog: ReportCatalog;
  triage: Pick<Triage, 'inForce'>;
  config: AppConfig;
  logger: Logger;
  now: () => Date;
  metrics?: Metrics | undefined;
  tctlRunner?: TctlRunner;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}) {
  const { config } = deps;
  const rules = createResponseActionStore(deps.store);
  const logger = deps.logger.child({ component: 'response-actions' });
  const base = config.actions.publicUrl?.replace(/\/+$/, '') ?? '';
  const firings = createActionFirings({
    store: deps.store,
    executions: deps.executions,
    catalog: deps.catalog,
    queries: createSavedQueries(deps.store),
    config: config.actions,
    logger,
    now: deps.now,
    instanceId: config.reports.instanceId ?? os.hostname(),
    metrics: deps.metrics,
    suppressedEntities: async (report, finding) => new Set((await deps.triage.inForce(report, finding)).keys()),
    link: (p) => `${base}${p}`,
    ...(deps.tctlRunner ? { tctlRunner: deps.tctlRunner } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  });
  const scheduler = createActionScheduler({ rules, firings, logger, now: deps.now, tickMs: config.actions.tickMs });
  return { rules, firings, scheduler };
}
export type ActionServices = ReturnType<typeof createActionServices>;
