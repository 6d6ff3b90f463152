import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlString } from '@access-monitor/sql';
import { describeIncompatibleParquet } from './incompatible-parquet';

describe('naming the Parquet files a failed statement could not read', () => {
  let root: string;
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  const file = (day: string, name: string) => path.join(root, day, name);
  const write = async (target: string, select: string) => {
    await mkdir(path.dirname(target), { recursive: true });
    await connection.run(`COPY (${select}) TO ${sqlString(target)} (FORMAT parquet)`);
  };

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-parquet-'));
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    const good = `SELECT 'u-1' AS uid, '' AS session_id, 'session.start' AS event_type, TIMESTAMPTZ '2026-01-10 10:00:00+00' AS event_time, '{}' AS event_data, 'alice' AS "user"`;
    await write(file('2026-01-10', 'chunk-0.parquet'), good);
    await write(file('2026-01-10', 'zz-wrong-types.parquet'), `SELECT 'u-1' AS uid, '' AS session_id, 'session.start' AS event_type, 42 AS event_time, '{}' AS event_data, 'mallory' AS "user"`);
    // Another writer's layout (an extra column, one left out) is not a wrong type.
    await write(file('2026-01-11', 'other-layout.parquet'), `SELECT 'u-2' AS uid, 'session.start' AS event_type, TIMESTAMP '2026-01-11 10:00:00' AS event_time, '{}' AS event_data, 'bob' AS "user", 1 AS added`);
    await mkdir(path.join(root, '2026-01-12'), { recursive: true });
    await writeFile(file('2026-01-12', 'garbage.parquet'), 'not parquet at all');
  });
  afterAll(async () => {
    connection?.closeSync();
    instance?.closeSync();
    await rm(root, { recursive: true, force: true });
  });

  it('names the file with a wrong column type and the unreadable one, relative to the data folder, and not the good ones', async () => {
    const files = [file('2026-01-10', 'chunk-0.parquet'), file('2026-01-10', 'zz-wrong-types.parquet'), file('2026-01-11', 'other-layout.parquet'), file('2026-01-12', 'garbage.parquet')];
    const found = await describeIncompatibleParquet(connection, root, files);
    expect(found).toEqual(['2026-01-10/zz-wrong-types.parquet: column event_time is INTEGER, expected TIMESTAMP', '2026-01-12/garbage.parquet: not a readable Parquet file']);
    expect(found.join('\n')).not.toContain(root);
  });

  it('finds nothing when every file is fine', async () => {
    expect(await describeIncompatibleParquet(connection, root, [file('2026-01-10', 'chunk-0.parquet'), file('2026-01-11', 'other-layout.parquet')])).toEqual([]);
  });
});
