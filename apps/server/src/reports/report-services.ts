import os from 'node:os';
import type { Logger } from 'pino';
import type { QueryEngine } from '@access-monitor/engine';
import type { ObjectStore } from '@access-monitor/storage';
import type { AppConfig } from '../config/load-config';
import { createExecutionLog } from '../executions/execution-log';
import { createExecutions, type Executions } from '../executions/executions-service';
import { createReportCatalog } from './report-catalog';
import { createReportRuns } from './report-runs';
import { createReportStates } from './report-states';
import { createRunResults } from './run-results';

/** Everything the security-report feature needs, built once per process over the shared store. */
export function createReportServices(deps: {
  engine: QueryEngine;
  store: ObjectStore;
  config: AppConfig;
  logger: Logger;
  now: () => Date;
  heartbeatMs?: number;
  /** Shared with the API so limits count every query of the instance; built over the store when absent. */
  executions?: Executions;
}) {
  const executions =
    deps.executions ?? createExecutions({ engine: deps.engine, log: createExecutionLog(deps.store), store: deps.store, limits: deps.config.limits, logger: deps.logger, now: deps.now });
  const catalog = createReportCatalog(deps.store);
  const states = createReportStates(deps.store);
  const runs = createReportRuns({
    executions,
    store: deps.store,
    catalog,
    states,
    logger: deps.logger.child({ component: 'report-runs' }),
    now: deps.now,
    queryTimeoutMs: deps.config.limits.queryTimeoutMs,
    instanceId: deps.config.reports.instanceId ?? os.hostname(),
    ...(deps.heartbeatMs !== undefined ? { heartbeatMs: deps.heartbeatMs } : {}),
  });
  return { catalog, states, runs, executions, results: createRunResults(deps.store) };
}
export type ReportServices = ReturnType<typeof createReportServices>;
