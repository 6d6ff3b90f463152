import path from 'node:path';
import { createDuckDbEngine, type QueryEngine } from '@access-monitor/engine';
import { createAthenaEngineFor } from './aws/aws-for-config';
import type { AppConfig } from './config/load-config';

/**
 * The query engine a config names: embedded DuckDB over Parquet (results under `stateDir`), or
 * Amazon Athena (results in S3 where Athena writes them). `onWarning` hears about degraded
 * operation, such as an unknown athena:// parameter or GetWorkGroup denied by IAM.
 */
export async function createEngineFor(config: AppConfig, stateDir: string, onWarning: (message: string) => void = () => {}): Promise<QueryEngine> {
  if (config.auditEvents.kind === 'athena') return createAthenaEngineFor(config, onWarning);
  return createDuckDbEngine({ dataDir: config.auditEvents.dir, resultsDir: path.join(stateDir, 'query-results') });
}
