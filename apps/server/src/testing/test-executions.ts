import type { QueryEngine } from '@access-monitor/engine';
import { createFsObjectStore } from '@access-monitor/storage';
import { DEFAULT_LIMITS } from '../config/load-config';
import { createExecutionLog } from '../executions/execution-log';
import { createExecutions, type Executions } from '../executions/executions-service';

/** The executions service over an engine, recording into `logDir`, with the default limits (tests and bench). */
export const executionsOver = (engine: QueryEngine, logDir: string): Executions =>
  createExecutions({ engine, log: createExecutionLog(createFsObjectStore(logDir)), limits: DEFAULT_LIMITS, now: () => new Date() });
