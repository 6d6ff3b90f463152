import os from 'node:os';
import type { QueryEngine } from '@access-monitor/engine';
import { createFsObjectStore } from '@access-monitor/storage';
import { createReportStoreFor } from '../aws/aws-for-config';
import { DEFAULT_LIMITS, type AppConfig } from '../config/load-config';
import { createExecutionLog } from '../executions/execution-log';
import { createExecutions, type Caller, type Executions } from '../executions/executions-service';

/**
 * The CLI runs through the same execution path as the server: with a config, its queries are recorded
 * in the config's report_results store under its limits; with --data alone, in the throw-away results folder.
 */
export function cliExecutions(engine: QueryEngine, config: AppConfig | undefined, resultsDir: string): Executions {
  const store = config ? createReportStoreFor(config) : createFsObjectStore(resultsDir);
  return createExecutions({ engine, log: createExecutionLog(store), store, limits: config?.limits ?? DEFAULT_LIMITS, now: () => new Date() });
}

/** Who ran a CLI query: the operating-system account, named so it never collides with a dashboard user. */
export const cliUser = (): string => `cli:${os.userInfo().username}`;
export const cliCaller = (): Caller => ({ user: cliUser(), kind: 'user', origin: 'cli' });
