import { availableParallelism } from 'node:os';
import path from 'node:path';
import { createDuckDbEngine, type DuckDbEngineOptions, type QueryEngine } from '@access-monitor/engine';
import { createAthenaEngineFor, localStateDirFor } from './aws/aws-for-config';
import type { AppConfig } from './config/load-config';

type AuditEvents = AppConfig['auditEvents'];
type EngineFactory<K extends AuditEvents['kind']> = (
  config: AppConfig & { auditEvents: Extract<AuditEvents, { kind: K }> },
  stateDir: string,
  onWarning: (message: string) => void,
) => Promise<QueryEngine>;

/**
 * The engines, keyed by the scheme of `audit_events_uri` (`parquet://`, `athena://`): adding an engine is
 * one line here, one scheme in the config schema, and its driver folder in packages/engine.
 */
export const ENGINES: { [K in AuditEvents['kind']]: EngineFactory<K> } = {
  parquet: (config, stateDir) =>
    createDuckDbEngine({
      dataDir: config.auditEvents.dir,
      resultsDir: path.join(stateDir, 'query-results'),
      // Always the config's own state folder, so CLI commands read the typed store the server built.
      typedDir: typedStoreDirFor(config),
      ...duckDbLimits(config.limits),
    }),
  athena: (config, _stateDir, onWarning) => createAthenaEngineFor(config, onWarning),
};

/** `limits.engine_memory`, `engine_threads` and `max_result_bytes` as the embedded engine takes them. */
export function duckDbLimits(limits: AppConfig['limits']): Pick<DuckDbEngineOptions, 'memoryLimit' | 'threads' | 'maxResultBytes'> {
  return {
    ...(limits.engineMemoryBytes !== undefined ? { memoryLimit: `${Math.max(1, Math.floor(limits.engineMemoryBytes / 1024 ** 2))}MiB` } : {}),
    threads: limits.engineThreads ?? availableParallelism(),
    ...(limits.maxResultBytes !== undefined ? { maxResultBytes: limits.maxResultBytes } : {}),
  };
}

/**
 * The query engine a config names: embedded DuckDB over Parquet (results under `stateDir`), or
 * Amazon Athena (results in S3 where Athena writes them). `onWarning` hears about degraded
 * operation, such as an unknown athena:// parameter or GetWorkGroup denied by IAM.
 */
export async function createEngineFor(config: AppConfig, stateDir: string, onWarning: (message: string) => void = () => {}): Promise<QueryEngine> {
  const create = ENGINES[config.auditEvents.kind] as EngineFactory<AuditEvents['kind']>;
  return create(config as Parameters<typeof create>[0], stateDir, onWarning);
}

/** The embedded engine's typed event store: derived from the Parquet folder, kept in the config's local state folder. */
export function typedStoreDirFor(config: AppConfig): string {
  return path.join(localStateDirFor(config), 'typed-events');
}
