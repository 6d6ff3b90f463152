import { availableParallelism } from 'node:os';
import path from 'node:path';
import { createDuckDbEngine, createEngine, type DuckDbEngineOptions, type EngineEntry, type EngineRegistry, type EngineTargetOf, type QueryEngine } from '@access-monitor/engine';
import { createAthenaEngineFor, localStateDirFor } from './aws/aws-for-config';
import type { AppConfig } from './config/load-config';
import { localUriPath } from './config/local-uri-path';

/** What the server gives an engine besides its URI. */
export interface ServerEngineContext {
  config: AppConfig;
  /** Where engine results live when the engine keeps them itself. */
  stateDir: string;
  /** Hears about degraded operation, such as an unknown athena:// parameter or GetWorkGroup denied by IAM. */
  onWarning: (message: string) => void;
}

/** `parquet:///path/to/events`: embedded DuckDB over Teleport's Parquet layout (a relative path is against the config's folder). */
const parquet: EngineEntry<{ dir: string }, ServerEngineContext> = {
  example: 'parquet:///path/to/events (embedded DuckDB)',
  parse: (uri, baseDir) => ({ dir: localUriPath(uri, 'parquet:', baseDir) }),
  create: (target, { config, stateDir }) =>
    createDuckDbEngine({
      dataDir: target.dir,
      resultsDir: path.join(stateDir, 'query-results'),
      // Always the config's own state folder, so CLI commands read the typed store the server built.
      typedDir: typedStoreDirFor(config),
      ...duckDbLimits(config.limits),
    }),
};

/** `athena://database.table?region=…`: Amazon Athena, results in S3 where Athena writes them (the URI is read when the engine is built). */
const athena: EngineEntry<{ uri: string }, ServerEngineContext> = {
  example: 'athena://database.table?region=…&queryResultsS3=s3://… (Amazon Athena)',
  parse: (uri) => ({ uri }),
  create: (_target, { config, onWarning }) => createAthenaEngineFor(config, onWarning),
};

/**
 * The engines, keyed by the scheme of `audit_events_uri`: adding an engine is its driver folder in
 * packages/engine and one line here (its entry says how its URI reads; the config accepts the scheme from this table).
 */
export const ENGINES = { parquet, athena } satisfies EngineRegistry<ServerEngineContext>;

/** `audit_events_uri` as the config keeps it: `{ kind: <scheme>, …what its entry read }`. */
export type AuditEventsTarget = EngineTargetOf<typeof ENGINES>;

/** `limits.engine_memory`, `engine_threads` and `max_result_bytes` as the embedded engine takes them. */
export function duckDbLimits(limits: AppConfig['limits']): Pick<DuckDbEngineOptions, 'memoryLimit' | 'threads' | 'maxResultBytes'> {
  return {
    ...(limits.engineMemoryBytes !== undefined ? { memoryLimit: `${Math.max(1, Math.floor(limits.engineMemoryBytes / 1024 ** 2))}MiB` } : {}),
    threads: limits.engineThreads ?? availableParallelism(),
    ...(limits.maxResultBytes !== undefined ? { maxResultBytes: limits.maxResultBytes } : {}),
  };
}

/** The query engine a config names, built by the registry entry of its `audit_events_uri` scheme. */
export async function createEngineFor(config: AppConfig, stateDir: string, onWarning: (message: string) => void = () => {}): Promise<QueryEngine> {
  return createEngine(ENGINES, config.auditEvents, { config, stateDir, onWarning });
}

/** The embedded engine's typed event store: derived from the Parquet folder, kept in the config's local state folder. */
export function typedStoreDirFor(config: AppConfig): string {
  return path.join(localStateDirFor(config), 'typed-events');
}
