import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { FixtureEvent } from '../query-engine.fixture';
import { sqlString } from '@access-monitor/sql';


/**
 * Writes fixture events in Teleport's Athena layout, `<dir>/<YYYY-MM-DD>/<chunk>.parquet`. Like
 * Teleport's writer, `event_time` is a UTC-adjusted timestamp (DuckDB reads it as TIMESTAMPTZ, so
 * an engine not pinned to UTC puts midnight events in the wrong day). Days with many events get
 * two chunks, so engines are tested on folders holding more than one file.
 */
export async function writeFixtureParquet(events: readonly FixtureEvent[], dir: string): Promise<void> {
  const byDate = new Map<string, FixtureEvent[]>();
  for (const e of events) {
    const date = e.event_time.slice(0, 10);
    byDate.set(date, [...(byDate.get(date) ?? []), e]);
  }
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`SET TimeZone = 'UTC'`);
    for (const [date, dayEvents] of byDate) {
      await mkdir(path.join(dir, date), { recursive: true });
      const half = dayEvents.length > 20 ? Math.ceil(dayEvents.length / 2) : dayEvents.length;
      const chunks = [dayEvents.slice(0, half), dayEvents.slice(half)].filter((c) => c.length > 0);
      for (const [i, chunk] of chunks.entries()) {
        const prepared = await connection.prepare(
          `COPY (
             SELECT e.uid, e.session_id, e.event_type, CAST(e.event_time AS TIMESTAMPTZ) AS event_time, e.event_data, e."user"
             FROM (SELECT unnest(from_json($1::VARCHAR, '[{"uid":"VARCHAR","session_id":"VARCHAR","event_type":"VARCHAR","event_time":"VARCHAR","event_data":"VARCHAR","user":"VARCHAR"}]'), recursive := true)) AS e
           ) TO ${sqlString(path.join(dir, date, `chunk-${i}.parquet`))} (FORMAT parquet)`,
        );
        prepared.bindVarchar(1, JSON.stringify(chunk));
        await prepared.run();
        prepared.destroySync();
      }
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
