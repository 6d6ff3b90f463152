import { execFile } from 'node:child_process';
import { copyFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Execution, ProblemTypes, ResultsPage, isTerminalState } from '@access-monitor/contracts';
import { startTestServer, type TestServer } from '../testing/test-server';
import { recordFigures } from './reliability-figures';

/**
 * The CLI in a child process, awaited: this process serves the test server meanwhile (spawnSync would block it,
 * and its kept-alive connections could be reset under the next request).
 */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const BIN = fileURLToPath(new URL('../../bin/access-monitor.js', import.meta.url));
const figures = { truncatedParquet: 0, mixedSchemaDays: 0, importedLines: 0, rejectedLines: 0, largestEventBytes: 0 };

let t: TestServer;
let duck: DuckDBInstance;
let conn: DuckDBConnection;

async function run(sql: string, start: string, end: string): Promise<Execution> {
  const post = await t.fetchAs('auditor', '/api/v1/executions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql, start, end }) });
  expect(post.status).toBe(202);
  let e = Execution.parse(await post.json());
  while (!isTerminalState(e.state)) {
    await new Promise((r) => setTimeout(r, 20));
    const res = await t.fetchAs('auditor', `/api/v1/executions/${e.id}`);
    expect(res.status).toBe(200);
    e = Execution.parse(await res.json());
  }
  return e;
}

async function count(sql: string, start: string, end: string): Promise<number> {
  const e = await run(sql, start, end);
  expect(e.state, JSON.stringify(e.error)).toBe('SUCCEEDED');
  return Number(ResultsPage.parse(await (await t.fetchAs('auditor', `/api/v1/executions/${e.id}/results`)).json()).rows[0]![0]);
}

const firstParquetOf = async (day: string) => path.join(t.dataDir, day, (await readdir(path.join(t.dataDir, day))).find((f) => f.endsWith('.parquet'))!);

beforeAll(async () => {
  t = await startTestServer({ days: 6, events: 1200 }); // 2026-01-09 … 2026-01-14
  duck = await DuckDBInstance.create(':memory:');
  conn = await duck.connect();
});
afterAll(async () => {
  await recordFigures('bad-data', figures);
  conn?.closeSync();
  duck?.closeSync();
  await t?.close();
});

describe('bad audit data', () => {
  it('names a truncated Parquet file in the error, and the other days of the window stay queryable', async () => {
    const before = await count('SELECT count(*) FROM audit_events', '2026-01-09', '2026-01-14');
    const truncated = path.join(t.dataDir, '2026-01-12', 'zz-truncated.parquet');
    await copyFile(await firstParquetOf('2026-01-12'), truncated);
    await truncate(truncated, Math.floor((await stat(truncated)).size / 2));
    figures.truncatedParquet++;

    const failed = await run('SELECT count(*) FROM session_start', '2026-01-09', '2026-01-14');
    expect(failed.state).toBe('FAILED');
    expect(failed.error).toMatchObject({ type: ProblemTypes.engineFailed, detail: expect.stringContaining('2026-01-12/zz-truncated.parquet') });
    // The answer names the file inside the data folder, not where the server keeps it.
    expect(failed.error?.detail).not.toContain(t.dataDir);
    const rest = (await count('SELECT count(*) FROM audit_events', '2026-01-09', '2026-01-11')) + (await count('SELECT count(*) FROM audit_events', '2026-01-13', '2026-01-14'));
    expect(rest).toBe(before - (await rawTotal('2026-01-12')));
    await rm(truncated);
    expect(await count('SELECT count(*) FROM audit_events', '2026-01-09', '2026-01-14')).toBe(before);
  });

  it('reads a day whose files add, reorder or drop optional columns', async () => {
    const day = '2026-01-11';
    const before = await count("SELECT count(*) FROM audit_events WHERE event_type = 'session.start'", day, day);
    const source = await firstParquetOf(day);
    // The same rows again, as another writer might lay them out: columns reordered, one added, session_id left out.
    await conn.run(
      `COPY (SELECT "user", event_data, event_time, event_type, uid || '-again' AS uid, 'x' AS added FROM read_parquet('${source}') WHERE event_type = 'session.start') TO '${path.join(t.dataDir, day, 'zz-other-layout.parquet')}' (FORMAT parquet)`,
    );
    figures.mixedSchemaDays++;
    expect(await count("SELECT count(*) FROM audit_events WHERE event_type = 'session.start'", day, day)).toBe(2 * before);
    expect(await count('SELECT count(*) FROM session_start', day, day)).toBe(2 * before);
    await rm(path.join(t.dataDir, day, 'zz-other-layout.parquet'));
  });

  it('fails a day whose file has an incompatible column type with a problem, and the other days stay queryable', async () => {
    const day = '2026-01-10';
    const file = path.join(t.dataDir, day, 'zz-wrong-types.parquet');
    const expected = await t.rawCount('session.start', '2026-01-11', '2026-01-14'); // raw DuckDB reads every day, the bad one too
    await conn.run(`COPY (SELECT 'u-1' AS uid, '' AS session_id, 'session.start' AS event_type, 42 AS event_time, '{}' AS event_data, 'mallory' AS "user") TO '${file}' (FORMAT parquet)`);
    figures.mixedSchemaDays++;
    const failed = await run('SELECT count(*) FROM session_start', '2026-01-09', '2026-01-14');
    expect(failed.state).toBe('FAILED');
    expect(failed.error?.type).toBe(ProblemTypes.engineFailed);
    expect(failed.error?.detail).toContain('2026-01-10/zz-wrong-types.parquet: column event_time is INTEGER, expected TIMESTAMP');
    expect(failed.error?.detail).not.toContain(t.dataDir);
    expect(await count('SELECT count(*) FROM session_start', '2026-01-11', '2026-01-14')).toBe(expected);
    await rm(file);
  });

  it('imports a log with a 10 MB event, reporting each bad line as file:line: reason, and serves the rest', async () => {
    const log = path.join(path.dirname(t.dataDir), 'teleport.log');
    const login = (i: number, extra = '') => `{"ei":0,"event":"user.login","uid":"bad-data-${i}","code":"T1000I","time":"2026-01-13T10:00:0${i}.000Z","user":"bad-data-user","success":true${extra}}`;
    const huge = login(2, `,"blob":"${'x'.repeat(10 * 1024 * 1024)}"`);
    figures.largestEventBytes = Buffer.byteLength(huge);
    const lines = [login(1), huge, login(3).slice(0, 60), '[1, 2]', '{"event":"user.login","time":"yesterday"}', login(4), '{"time":"2026-01-13T10:00:00Z"}', login(5)];
    await writeFile(log, `${lines.join('\n')}\n`);
    const r = await cli(['import', '--out', t.dataDir, log]);
    expect(r.status).toBe(3);
    const rejected = r.stderr.split('\n').filter((l) => l.startsWith(`${log}:`));
    expect(rejected.map((l) => Number(l.slice(log.length + 1).split(':')[0]))).toEqual([3, 4, 5, 7]);
    expect(rejected.every((l) => /^.+:\d+: \S/.test(l))).toBe(true);
    expect(r.stdout).toMatch(/read 8 lines: imported 4, already present 0, rejected 4/);
    figures.importedLines += 4;
    figures.rejectedLines += 4;

    expect(await count("SELECT count(*) FROM user_login WHERE \"user\" = 'bad-data-user'", '2026-01-13', '2026-01-13')).toBe(4);
    expect(await count("SELECT max(length(event_data)) FROM audit_events WHERE \"user\" = 'bad-data-user'", '2026-01-13', '2026-01-13')).toBe(Buffer.byteLength(huge));
    expect(await count('SELECT count(*) FROM session_start', '2026-01-09', '2026-01-14')).toBe(await t.rawCount('session.start', '2026-01-09', '2026-01-14'));
  });

  it('reports a line of broken UTF-8 as file:line instead of storing it with U+FFFD, and keeps a real U+FFFD', async () => {
    const log = path.join(path.dirname(t.dataDir), 'teleport-utf8.log');
    const login = (i: number, user: string) => `{"ei":0,"event":"user.login","uid":"utf8-${i}","code":"T1000I","time":"2026-01-13T11:00:0${i}.000Z","user":"${user}","success":true}`;
    // An attacker's user name with bytes that are not UTF-8 (\xff\xfe), between two good events, one of which
    // carries a real U+FFFD (what Teleport itself writes for bytes it could not encode).
    const broken = Buffer.concat([Buffer.from(login(2, 'utf8-user-').slice(0, -35)), Buffer.from([0xff, 0xfe]), Buffer.from(login(2, '').slice(-35))]);
    await writeFile(log, Buffer.concat([Buffer.from(`${login(1, 'utf8-user')}\n`), broken, Buffer.from(`\n${login(3, 'utf8-user\ufffd')}\n`)]));
    const r = await cli(['import', '--out', t.dataDir, log]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^${log.replaceAll('.', '\\.')}:2: not valid UTF-8 \\(byte \\d+ of the line\\)$`, 'm'));
    expect(r.stdout).toMatch(/read 3 lines: imported 2, already present 0, rejected 1/);
    figures.importedLines += 2;
    figures.rejectedLines += 1;
    expect(await count("SELECT count(*) FROM user_login WHERE \"user\" LIKE 'utf8-user%'", '2026-01-13', '2026-01-13')).toBe(2);
    expect(await count("SELECT count(*) FROM audit_events WHERE \"user\" = 'utf8-user' || chr(65533)", '2026-01-13', '2026-01-13')).toBe(1);
  });
});

async function rawTotal(day: string): Promise<number> {
  const r = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${path.join(t.dataDir, day)}/[!z]*.parquet')`);
  return Number(r.getRowObjects()[0]!.n);
}
