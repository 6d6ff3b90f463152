import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '@access-monitor/sql';

/** The columns of Teleport's Athena layout the views read, and the DuckDB types a file may give them. */
const EXPECTED_TYPES: Record<string, { expected: string; accepts: (duckdbType: string) => boolean }> = {
  uid: { expected: 'VARCHAR', accepts: (t) => t === 'VARCHAR' },
  session_id: { expected: 'VARCHAR', accepts: (t) => t === 'VARCHAR' },
  event_type: { expected: 'VARCHAR', accepts: (t) => t === 'VARCHAR' },
  event_time: { expected: 'TIMESTAMP', accepts: (t) => t.startsWith('TIMESTAMP') },
  event_data: { expected: 'VARCHAR', accepts: (t) => t === 'VARCHAR' },
  user: { expected: 'VARCHAR', accepts: (t) => t === 'VARCHAR' },
};

/** A file stops being looked at after this many bad ones: the message names a few, not hundreds. */
const MAX_NAMED = 3;

/**
 * After a statement over the window's Parquet failed, finds the files whose columns have a type the
 * layout does not allow (a writer that stored `event_time` as an integer, say), which DuckDB's own
 * message does not name. Each is described relative to the data folder, never by its server path:
 * `2026-01-10/chunk.parquet: column event_time is BIGINT, expected TIMESTAMP`. A file that cannot be
 * read at all is named as unreadable. Empty when every file is fine (the failure lies elsewhere).
 */
export async function describeIncompatibleParquet(connection: DuckDBConnection, dataDir: string, files: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of files) {
    if (found.length >= MAX_NAMED) break;
    const name = path.relative(dataDir, file).split(path.sep).join('/');
    let columns: Array<[string, string]>;
    try {
      const reader = await connection.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${sqlString(file)}))`);
      columns = reader.getRows().map(([n, t]) => [String(n), String(t)]);
    } catch {
      found.push(`${name}: not a readable Parquet file`);
      continue;
    }
    const wrong = columns.flatMap(([column, type]) => {
      const rule = EXPECTED_TYPES[column];
      return rule && !rule.accepts(type) ? [`column ${column} is ${type}, expected ${rule.expected}`] : [];
    });
    if (wrong.length > 0) found.push(`${name}: ${wrong.join('; ')}`);
  }
  return found;
}
