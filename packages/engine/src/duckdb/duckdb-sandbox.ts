import { DuckDBInstance } from '@duckdb/node-api';
import { sqlString } from '@access-monitor/sql';

export interface SandboxOptions {
  /** Absolute, realpath'd folders the instance may read and write: the audit data and the results. */
  allowedDirectories: string[];
  /** Statements to run before the sandbox is locked (the Trino compatibility macros). */
  setup: readonly string[];
  threads?: number;
  /** DuckDB size string: '2GB', '512MB'. */
  memoryLimit?: string;
  /** Where DuckDB spills what does not fit in memory; without it, `.tmp` under the process's working folder. */
  tempDirectory?: string;
}


/**
 * An in-memory DuckDB instance that runs Athena-dialect SQL and cannot reach anything but the
 * allowed folders. TimeZone and integer division are set GLOBAL: a plain SET is per connection,
 * and every execution gets a fresh connection that may not change settings once they are locked.
 * Order matters: the lock comes last, after external access is switched off.
 */
export async function openSandboxedDuckDb(options: SandboxOptions): Promise<DuckDBInstance> {
  const config: Record<string, string> = {};
  if (options.threads !== undefined) config['threads'] = String(options.threads);
  if (options.memoryLimit !== undefined) config['memory_limit'] = options.memoryLimit;
  if (options.tempDirectory !== undefined) config['temp_directory'] = options.tempDirectory;
  const instance = await DuckDBInstance.create(':memory:', config);
  const connection = await instance.connect();
  try {
    // ICU is statically linked in @duckdb/node-bindings (duckdb_extensions() reports it STATICALLY_LINKED).
    await connection.run(`SET GLOBAL TimeZone = 'UTC'`);
    await connection.run(`SET GLOBAL integer_division = true`);
    for (const statement of options.setup) await connection.run(statement);
    await connection.run(`SET allowed_directories = [${options.allowedDirectories.map(sqlString).join(', ')}]`);
    await connection.run(`SET enable_external_access = false`);
    await connection.run(`SET lock_configuration = true`);
  } catch (e) {
    connection.closeSync();
    instance.closeSync();
    throw e;
  }
  connection.closeSync();
  return instance;
}
