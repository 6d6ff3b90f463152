import { DuckDBInstance } from '@duckdb/node-api';
import type { SerializedSql, SqlParser } from '@access-monitor/sql';

/**
 * DuckDB's own parser, via `json_serialize_sql`, in a private in-memory instance. The SQL is always
 * a bound parameter, never pasted into the query text. Parsing only: nothing is bound or executed.
 */
export async function createDuckDbSqlParser(): Promise<SqlParser & { close(): void }> {
  const instance = await DuckDBInstance.create(':memory:', { enable_external_access: 'false' });
  const connection = await instance.connect();
  const prepared = await connection.prepare('SELECT json_serialize_sql($1::VARCHAR)');
  // One prepared statement is not safe for concurrent use: serialize calls one at a time.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    serialize(sql: string): Promise<SerializedSql> {
      const run = queue.then(async () => {
        prepared.bindVarchar(1, sql);
        const reader = await prepared.runAndReadAll();
        const value = reader.getRows()[0]?.[0];
        if (typeof value !== 'string') throw new Error('json_serialize_sql returned no result');
        return JSON.parse(value) as SerializedSql;
      });
      queue = run.catch(() => undefined);
      return run;
    },
    close(): void {
      prepared.destroySync();
      connection.closeSync();
      instance.closeSync();
    },
  };
}
