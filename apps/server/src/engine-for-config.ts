import path from 'node:path';
import { createDuckDbEngine, type QueryEngine } from '@access-monitor/engine';
import type { AppConfig } from './config/load-config';
import { ConfigError } from './config/load-config';

/** The query engine a config names: embedded DuckDB over Parquet (results under `stateDir`), or Amazon Athena. */
export async function createEngineFor(config: AppConfig, stateDir: string): Promise<QueryEngine> {
  if (config.auditEvents.kind !== 'parquet') {
    throw new ConfigError(`${config.file ?? 'config'}: audit_events_uri: the Athena engine is not available in this build yet; use parquet:///path/to/events`);
  }
  return createDuckDbEngine({ dataDir: config.auditEvents.dir, resultsDir: path.join(stateDir, 'query-results') });
}
