import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AthenaParquetWriter, writeAthenaParquet } from './athena-parquet-writer';
import { athenaRowOf, type AthenaRow } from './athena-row';

let out: string;
beforeEach(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'audit-log-writer-'));
});
afterEach(async () => {
  await rm(out, { recursive: true, force: true });
});

async function query(sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    // event_time is read as TIMESTAMPTZ: print it in UTC whatever the machine's zone.
    await connection.run(`SET TimeZone = 'UTC'`);
    return (await connection.runAndReadAll(sql)).getRows();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function row(eventType: string, time: string, extra: Record<string, unknown> = {}): AthenaRow {
  const event = { ei: 0, event: eventType, uid: `${eventType}-${time}`, time, ...extra };
  return athenaRowOf(event, Date.parse(time));
}

describe('AthenaParquetWriter', () => {
  it('writes one chunk per UTC date into bare date folders', async () => {
    const chunks = await writeAthenaParquet(out, [
      row('session.start', '2024-03-01T23:59:59.999Z', { sid: 's1', user: 'alice' }),
      row('user.login', '2024-03-02T00:00:00Z', { user: 'bob' }),
      row('instance.join', '2024-03-02T08:00:00Z'),
    ]);
    expect(chunks.map((c) => [c.date, c.rows])).toEqual([
      ['2024-03-01', 1],
      ['2024-03-02', 2],
    ]);
    expect(await readdir(out)).toEqual(['2024-03-01', '2024-03-02']);
    for (const chunk of chunks) {
      expect(path.dirname(chunk.path)).toBe(path.join(out, chunk.date));
      expect(path.basename(chunk.path)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.parquet$/);
    }
  });

  it("stores Teleport's Athena columns with event_time as TIMESTAMP(MILLIS) adjusted to UTC, like Teleport's writer", async () => {
    await writeAthenaParquet(out, [row('session.start', '2024-03-01T10:00:00.123456789Z', { sid: 's1', user: 'alice' })]);
    const glob = `${out}/*/*.parquet`;
    expect(await query(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${glob}'))`)).toEqual([
      ['uid', 'VARCHAR'],
      ['session_id', 'VARCHAR'],
      ['event_type', 'VARCHAR'],
      ['event_time', 'TIMESTAMP WITH TIME ZONE'],
      ['event_data', 'VARCHAR'],
      ['user', 'VARCHAR'],
    ]);
    // The schema as written in the file's footer, read back by DuckDB's own Parquet reader.
    const [timeColumn] = await query(`SELECT type, converted_type, logical_type FROM parquet_schema('${glob}') WHERE name = 'event_time'`);
    expect(timeColumn).toEqual(['INT64', 'TIMESTAMP_MILLIS', expect.stringMatching(/^TimestampType\(isAdjustedToUTC=1, unit=TimeUnit\(MILLIS=MilliSeconds\(\), MICROS=<null>, NANOS=<null>\)\)$/)]);
    const [compression] = await query(`SELECT DISTINCT compression FROM parquet_metadata('${glob}')`);
    expect(compression).toEqual(['SNAPPY']);
    expect(
      await query(`SELECT uid, session_id, event_type, strftime(event_time, '%Y-%m-%d %H:%M:%S.%g'), epoch_ms(event_time), "user" FROM read_parquet('${glob}')`),
    ).toEqual([['session.start-2024-03-01T10:00:00.123456789Z', 's1', 'session.start', '2024-03-01 10:00:00.123', 1709287200123n, 'alice']]);
  });

  it('fills empty strings for events without uid, session or user', async () => {
    await writeAthenaParquet(out, [athenaRowOf({ event: 'cert.create', time: '2024-03-01T10:00:00Z', identity: { user: 'alice' } }, Date.parse('2024-03-01T10:00:00Z'))]);
    expect(await query(`SELECT uid, session_id, "user" FROM read_parquet('${out}/*/*.parquet')`)).toEqual([['', '', '']]);
  });

  it('sorts rows in a chunk by event type, then time', async () => {
    await writeAthenaParquet(out, [
      row('user.login', '2024-03-01T09:00:00Z'),
      row('session.start', '2024-03-01T12:00:00Z'),
      row('cert.create', '2024-03-01T11:00:00Z'),
      row('session.start', '2024-03-01T08:00:00Z'),
    ]);
    const rows = await query(`SELECT event_type, strftime(event_time, '%H') FROM read_parquet('${out}/*/*.parquet')`);
    expect(rows).toEqual([
      ['cert.create', '11'],
      ['session.start', '08'],
      ['session.start', '12'],
      ['user.login', '09'],
    ]);
  });

  it('adds new chunks on later flushes and leaves existing files untouched', async () => {
    const writer = await AthenaParquetWriter.open(out);
    try {
      writer.append(row('user.login', '2024-03-01T09:00:00Z'));
      const first = await writer.flush();
      const before = await readFile(first.chunks[0]!.path);
      writer.append(row('user.login', '2024-03-01T10:00:00Z'));
      const second = await writer.flush();
      expect(second.chunks[0]!.path).not.toBe(first.chunks[0]!.path);
      expect(await readFile(first.chunks[0]!.path)).toEqual(before);
      expect((await readdir(path.join(out, '2024-03-01'))).sort()).toEqual(
        [path.basename(first.chunks[0]!.path), path.basename(second.chunks[0]!.path)].sort(),
      );
      expect(await writer.flush()).toEqual({ chunks: [], written: 0, duplicates: 0 });
    } finally {
      writer.close();
    }
  });

  it('skips rows already stored or repeated, compared on the whole event, when asked', async () => {
    const writer = await AthenaParquetWriter.open(out);
    try {
      const login = row('user.login', '2024-03-01T09:00:00Z', { user: 'alice' });
      writer.append(login);
      await writer.flush({ skipDuplicates: true });

      writer.append(login);
      writer.append(row('user.login', '2024-03-01T09:00:00Z', { user: 'bob' }));
      writer.append(row('user.login', '2024-03-01T09:00:00Z', { user: 'bob' }));
      const result = await writer.flush({ skipDuplicates: true });
      expect([result.written, result.duplicates]).toEqual([1, 2]);
    } finally {
      writer.close();
    }
    // alice and bob share a uid; both are kept because their events differ.
    expect(await query(`SELECT "user", uid FROM read_parquet('${out}/*/*.parquet') ORDER BY 1`)).toEqual([
      ['alice', 'user.login-2024-03-01T09:00:00Z'],
      ['bob', 'user.login-2024-03-01T09:00:00Z'],
    ]);
  });

  it('takes the next batch while one is written, and checks it against every batch written before', async () => {
    const writer = await AthenaParquetWriter.open(out);
    try {
      const login = row('user.login', '2024-03-01T09:00:00Z', { user: 'alice' });
      writer.append(login);
      const first = await writer.startFlush({ skipDuplicates: true });
      // Appended while the first batch may still be on its way to disk: the same event, and a new one.
      writer.append(login);
      writer.append(row('user.login', '2024-03-01T09:05:00Z', { user: 'alice' }));
      expect(writer.pendingRows).toBe(2);
      const second = await writer.startFlush({ skipDuplicates: true });
      const [a, b] = await Promise.all([first.written, second.written]);
      expect([a.written, a.duplicates, b.written, b.duplicates]).toEqual([1, 0, 1, 1]);
    } finally {
      writer.close();
    }
    expect(await query(`SELECT count(*)::INTEGER FROM read_parquet('${out}/*/*.parquet')`)).toEqual([[2]]);
  });

  it('keeps rows whose text holds line breaks, the field delimiter or non-ASCII exactly as given', async () => {
    const odd = [
      { ...row('user.login', '2024-03-01T09:00:00Z', { user: 'a\u0001b' }), eventData: '{"event":"user.login",\r\n"note":"x"}' },
      { ...row('user.login', '2024-03-01T09:00:01Z'), user: 'line\nbreak', sessionId: 'cr\rsid' },
      { ...row('user.login', '2024-03-01T09:00:02Z', { user: 'zoë' }), eventData: '{"event":"user.login","user":"zoë 🦆","tab":"\t"}' },
      { ...row('user.login', '2024-03-01T09:00:03Z'), uid: '', user: '' },
    ];
    await writeAthenaParquet(out, odd);
    const stored = await query(`SELECT uid, session_id, event_data, "user" FROM read_parquet('${out}/*/*.parquet') ORDER BY event_time`);
    expect(stored).toEqual(odd.map((r) => [r.uid, r.sessionId, r.eventData, r.user]));
  });

  it('writes the rows of a one-day batch appended out of order in (event_type, event_time, uid) order', async () => {
    const writer = await AthenaParquetWriter.open(out);
    const rows = [
      row('user.login', '2024-03-01T09:00:00Z'),
      row('session.start', '2024-03-01T12:00:00Z', { sid: 's2' }),
      { ...row('session.start', '2024-03-01T08:00:00Z', { sid: 's1' }), uid: 'b' },
      { ...row('session.start', '2024-03-01T08:00:00Z', { sid: 's1' }), uid: 'a' },
      row('cert.create', '2024-03-01T23:00:00Z'),
    ];
    try {
      for (const r of rows) writer.appendCleanRow(r);
      expect(await writer.flush()).toMatchObject({ written: 5, duplicates: 0 });
    } finally {
      writer.close();
    }
    // One file read by one thread: rows come back in the order they are stored.
    expect(await query(`SELECT event_type, strftime(event_time, '%H'), uid FROM read_parquet('${out}/*/*.parquet')`)).toEqual([
      ['cert.create', '23', 'cert.create-2024-03-01T23:00:00Z'],
      ['session.start', '08', 'a'],
      ['session.start', '08', 'b'],
      ['session.start', '12', 'session.start-2024-03-01T12:00:00Z'],
      ['user.login', '09', 'user.login-2024-03-01T09:00:00Z'],
    ]);
  });

  it('leaves no temporary files behind', async () => {
    await writeAthenaParquet(out, [row('user.login', '2024-03-01T09:00:00Z')]);
    const names = await readdir(path.join(out, '2024-03-01'));
    expect(names.every((n) => n.endsWith('.parquet') && !n.startsWith('.'))).toBe(true);
  });
});
