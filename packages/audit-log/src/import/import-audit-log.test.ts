import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLogFiles, NoAuditLogFiles } from './audit-log-files';
import { parseEventLine } from '../events/parse-event-line';
import { athenaRowOf } from '../parquet/athena-row';
import { describeRejectedLine, importAuditLog, type RejectedLine } from './import-audit-log';

let dir: string;
let out: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'audit-log-import-'));
  out = path.join(dir, 'events');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function storedRows(): Promise<Array<{ uid: string; date: string; type: string; data: string; user: string; sid: string }>> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const rows = await connection.runAndReadAll(
      `SELECT uid, split_part(filename, '/', -2), event_type, event_data, "user", session_id
       FROM read_parquet('${out}/*/*.parquet', filename = true) ORDER BY event_time, event_data`,
    );
    return rows.getRows().map(([uid, date, type, data, user, sid]) => ({ uid: String(uid), date: String(date), type: String(type), data: String(data), user: String(user), sid: String(sid) }));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function parquetFileCount(): Promise<number> {
  let n = 0;
  for (const date of await readdir(out)) n += (await readdir(path.join(out, date))).filter((f) => f.endsWith('.parquet')).length;
  return n;
}

const LOGIN = '{"ei":0,"event":"user.login","uid":"93f1a71d-cd39-4d1b-94cc-2bae1d19b1e1","code":"T1000I","time":"2024-05-09T21:06:35.601Z","cluster_name":"teleport.example.com","user":"teleport-admin","success":true,"method":"local","addr.remote":"136.32.177.60:54537"}';
const SESSION_START = '{"ei":0,"event":"session.start","uid":"3259b2ea-55e2-427f-8e81-80699018e83a","code":"T2000I","time":"2024-05-09T21:00:50.249Z","user":"teleport-admin","login":"ec2-user","sid":"a2836fe1-51b5-4ab6-994e-f2f32eb97dc5","server_id":"b321c207","proto":"ssh"}';
const SESSION_END = '{"ei":763,"event":"session.end","uid":"47d16bef-29d1-4b65-a222-4fcfc18e3347","code":"T2004I","time":"2024-05-10T00:06:21.024+02:00","user":"teleport-admin","sid":"a2836fe1-51b5-4ab6-994e-f2f32eb97dc5","server_id":"b321c207","interactive":true,"enhanced_recording":false,"participants":["teleport-admin"]}';
const CERT = '{"cert_type":"user","code":"TC000I","event":"cert.create","identity":{"user":"alice","expires":"2024-05-10T09:00:40.662729264Z"},"time":"2024-05-09T21:00:40.673Z"}';

describe('importAuditLog', () => {
  it('imports a JSON-lines file, keeping each line verbatim as event_data', async () => {
    const file = path.join(dir, 'events.jsonl');
    await writeFile(file, [LOGIN, SESSION_START, SESSION_END, CERT].join('\n') + '\n');
    const result = await importAuditLog({ out, inputs: [file] });
    expect(result).toEqual({ linesRead: 4, imported: 4, duplicates: 0, rejected: [] });
    const rows = await storedRows();
    expect(rows.map((r) => r.data).sort()).toEqual([LOGIN, SESSION_START, SESSION_END, CERT].sort());
    const end = rows.find((r) => r.type === 'session.end')!;
    // 00:06 at +02:00 is 22:06 UTC on the 9th: the folder is the UTC date.
    expect(end.date).toBe('2024-05-09');
    expect([end.sid, end.user]).toEqual(['a2836fe1-51b5-4ab6-994e-f2f32eb97dc5', 'teleport-admin']);
    expect(rows.find((r) => r.type === 'cert.create')).toMatchObject({ uid: '', user: '', sid: '' });
  });

  it('reads gzip input recognised by its magic bytes, whatever its name', async () => {
    const file = path.join(dir, '2024-05-09.00:00:00.log');
    await writeFile(file, gzipSync([LOGIN, SESSION_START].join('\r\n') + '\r\n'));
    expect(await importAuditLog({ out, inputs: [file] })).toMatchObject({ linesRead: 2, imported: 2 });
    expect((await storedRows()).map((r) => r.data).sort()).toEqual([LOGIN, SESSION_START].sort());
  });

  it('reports bad lines as file:line and imports the good ones', async () => {
    const file = path.join(dir, 'mixed.jsonl');
    await writeFile(file, [LOGIN, 'garbage', '', '[1]', '{"event":"x"}', '{"time":"2024-05-09T21:00:00Z"}', '{"event":"x","time":"soon"}', SESSION_START].join('\n'));
    const seen: RejectedLine[] = [];
    const result = await importAuditLog({ out, inputs: [file], onRejected: (r) => seen.push(r) });
    expect(result.imported).toBe(2);
    expect(result.linesRead).toBe(7);
    expect(result.rejected.map((r) => [r.line, r.reason.split(' (')[0]])).toEqual([
      [2, 'not JSON'],
      [4, 'not a JSON object'],
      [5, 'no "time"'],
      [6, 'no "event" string'],
      [7, '"time" is not an RFC 3339 timestamp: "soon"'],
    ]);
    expect(seen).toEqual(result.rejected);
    expect(describeRejectedLine(result.rejected[0]!)).toMatch(new RegExp(`^${file.replaceAll('.', '\\.')}:2: not JSON`));
  });

  it('reports where a truncated gzip stops and keeps the lines before it', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `{"event":"user.login","time":"2024-05-09T10:00:00Z","i":${i}}`);
    const gz = gzipSync(lines.join('\n'));
    const file = path.join(dir, 'cut.jsonl.gz');
    await writeFile(file, gz.subarray(0, gz.length - 16));
    const result = await importAuditLog({ out, inputs: [file] });
    expect(result.imported).toBeGreaterThan(2900);
    expect(result.rejected).toEqual([{ file, line: result.imported + 1, reason: expect.stringMatching(/^unreadable from here on/) }]);
  });

  it('ignores a UTF-8 byte order mark before the first event', async () => {
    const file = path.join(dir, 'bom.jsonl');
    await writeFile(file, `\ufeff${LOGIN}\n`);
    expect(await importAuditLog({ out, inputs: [file] })).toMatchObject({ imported: 1, rejected: [] });
    expect((await storedRows())[0]!.data).toBe(LOGIN);
  });

  it('adds nothing when the same file is imported again', async () => {
    const file = path.join(dir, 'events.jsonl');
    await writeFile(file, [LOGIN, SESSION_START, SESSION_END, CERT].join('\n'));
    await importAuditLog({ out, inputs: [file] });
    const files = await parquetFileCount();
    expect(await importAuditLog({ out, inputs: [file] })).toEqual({ linesRead: 4, imported: 0, duplicates: 4, rejected: [] });
    expect(await parquetFileCount()).toBe(files);
    expect(await storedRows()).toHaveLength(4);
  });

  it('writes only the new events of a grown file, to new chunks', async () => {
    const file = path.join(dir, 'events.jsonl');
    await writeFile(file, `${LOGIN}\n`);
    await importAuditLog({ out, inputs: [file] });
    await writeFile(file, `${LOGIN}\n${SESSION_START}\n`);
    expect(await importAuditLog({ out, inputs: [file] })).toMatchObject({ imported: 1, duplicates: 1 });
    expect(await parquetFileCount()).toBe(2);
  });

  it('keeps different events that share a uid, and events without one', async () => {
    const a = '{"event":"user.login","uid":"same","time":"2024-05-09T10:00:00Z","user":"alice"}';
    const b = '{"event":"user.login","uid":"same","time":"2024-05-09T10:00:00Z","user":"bob"}';
    const c = '{"event":"cert.create","time":"2024-05-09T10:00:00Z","identity":{"user":"carol"}}';
    const d = '{"event":"cert.create","time":"2024-05-09T10:00:00Z","identity":{"user":"dave"}}';
    const file = path.join(dir, 'events.jsonl');
    // The last line repeats the first: an exact duplicate, as Athena's DISTINCT would drop.
    await writeFile(file, [a, b, c, d, a].join('\n'));
    expect(await importAuditLog({ out, inputs: [file] })).toMatchObject({ imported: 4, duplicates: 1 });
    expect((await storedRows()).map((r) => r.data).sort()).toEqual([a, b, c, d].sort());
  });

  it('gives every line the answer parseEventLine gives it, however it is written', async () => {
    const t = '"time":"2024-05-09T21:00:50.5Z"';
    const lines = [
      `{"event":"a",${t},"user":"first","user":"last","sid":"s1","uid":"u1"}`,
      `{"event":"b",${t},"user":"x","user":5}`,
      `{"ev\\u0065nt":"c",${t},"us\\u0065r":"escaped key"}`,
      `{"event":"d",${t},"user":"a\\"b","x":[1,{"y":[true,false,null,-1.5e-3]}]}`,
      `{"event":"e",${t},"a":[1,]}`,
      `{"event":"f",${t},"a":NaN}`,
      `{"event":"g",${t},"a":"tab\there"}`,
      `{ "event" : "h" , ${t} }  `,
      `\t{"event":"i",${t}}`,
      `{"event":"j",${t}}{}`,
      `{"event":"k",${t},"deep":${'['.repeat(80)}${']'.repeat(80)}}`,
      `{"event":"l","time":"2016-12-31T23:59:60Z"}`,
      `{"event":"m","time":"2024-02-30T00:00:00Z"}`,
      `{"event":"","time":"2024-02-01T00:00:00Z"}`,
      `{"event":"n",${t},"user":"\u00e9l\u00e8ve \ud83d\ude00"}`,
      '   ',
      '[{"event":"o"}]',
      `{"event":"p",${t},"a":"\u2028"}`,
    ];
    const file = path.join(dir, 'tricky.jsonl');
    // CRLF on every other line, and a last line without a line break.
    await writeFile(file, lines.map((line, i) => line + (i === lines.length - 1 ? '' : i % 2 ? '\r\n' : '\n')).join(''));
    const result = await importAuditLog({ out, inputs: [file] });

    const expected = lines.map((line, i) => ({ line: i + 1, text: line, parsed: parseEventLine(line) })).filter(({ text }) => text.trim() !== '');
    expect(result.rejected).toEqual(expected.flatMap(({ line, parsed }) => (parsed.ok ? [] : [{ file, line, reason: parsed.reason }])));
    const stored = expected.flatMap(({ text, parsed }) => (parsed.ok ? [athenaRowOf(parsed.event, parsed.time.getTime(), text)] : []));
    expect(stored.length).toBeGreaterThanOrEqual(6);
    const rows = await storedRows();
    const key = (r: { data: string }) => r.data;
    expect(rows.map((r) => ({ data: r.data, type: r.type, user: r.user, sid: r.sid, uid: r.uid })).sort((a, b) => (key(a) < key(b) ? -1 : 1))).toEqual(
      stored.map((r) => ({ data: r.eventData, type: r.eventType, user: r.user, sid: r.sessionId, uid: r.uid })).sort((a, b) => (key(a) < key(b) ? -1 : 1)),
    );
    expect(rows.find((r) => r.type === 'a')!.user).toBe('last');
  });

  it('imports a line longer than a read, and lines split across reads, byte for byte', async () => {
    const long = `{"event":"user.login","time":"2024-05-09T10:00:00Z","blob":"${'é'.repeat(1_500_000)}"}`;
    const lines = [LOGIN, long, ...Array.from({ length: 20_000 }, (_, i) => `{"event":"user.login","time":"2024-05-09T10:00:00Z","uid":"u${i}","pad":"${'x'.repeat(i % 300)}"}`), 'garbage'];
    const file = path.join(dir, 'long.jsonl');
    await writeFile(file, lines.join('\n'));
    const result = await importAuditLog({ out, inputs: [file] });
    expect(result).toMatchObject({ linesRead: lines.length, imported: lines.length - 1, rejected: [{ line: lines.length, reason: expect.stringMatching(/^not JSON/) }] });
    const rows = await storedRows();
    expect(rows.find((r) => r.data.length > 1_000_000)!.data).toBe(long);
    expect(new Set(rows.map((r) => r.data))).toEqual(new Set(lines.slice(0, -1)));
  });

  it('dedupes across batches of one import', async () => {
    const file = path.join(dir, 'events.jsonl');
    await writeFile(file, [LOGIN, SESSION_START, LOGIN, SESSION_START, SESSION_END].join('\n'));
    expect(await importAuditLog({ out, inputs: [file], batchRows: 2 })).toMatchObject({ imported: 3, duplicates: 2 });
  });
});

describe('Teleport file-log folders', () => {
  async function teleportDataDir(): Promise<{ dataDir: string; authA: string; authB: string }> {
    const dataDir = path.join(dir, 'teleport');
    const log = path.join(dataDir, 'log');
    const authA = path.join(log, 'bbdfe5be-fb97-43af-bf3b-29ef2e302941');
    const authB = path.join(log, '6a3e1f0c-2f5d-4d7e-9a53-0f7d7f6d2b11');
    for (const d of [path.join(authA, 'sessions', 'default'), authB, path.join(log, 'playbacks', 'sessions', 'default'), path.join(log, 'upload'), path.join(log, 'records')]) {
      await mkdir(d, { recursive: true });
    }
    await writeFile(path.join(authA, '2024-05-09.00:00:00.log'), `${SESSION_START}\n${SESSION_END}\n`);
    await writeFile(path.join(authA, '2024-05-10.00:00:00.log'), gzipSync(`${CERT}\n`));
    await writeFile(path.join(authB, '2024-05-09.00:00:00.log'), `${LOGIN}\n`);
    // Not events: things Teleport keeps beside them.
    await writeFile(path.join(authA, 'sessions', 'default', 'a2836fe1.log'), 'not an event\n');
    await writeFile(path.join(log, 'upload', 'x.log'), 'not an event\n');
    await writeFile(path.join(log, 'records', 'y.log'), 'not an event\n');
    await symlink(path.join(authA, '2024-05-10.00:00:00.log'), path.join(log, 'events.log'));
    return { dataDir, authA, authB };
  }

  it('imports every auth server of a data folder and nothing else', async () => {
    const { dataDir } = await teleportDataDir();
    expect(await importAuditLog({ out, inputs: [dataDir] })).toEqual({ linesRead: 4, imported: 4, duplicates: 0, rejected: [] });
    expect((await storedRows()).map((r) => r.type).sort()).toEqual(['cert.create', 'session.end', 'session.start', 'user.login']);
  });

  it('accepts the log folder or a single auth-server folder', async () => {
    const { dataDir, authA, authB } = await teleportDataDir();
    const fromLog = await auditLogFiles(path.join(dataDir, 'log'));
    expect(fromLog.map((f) => path.relative(dataDir, f)).sort()).toEqual(
      [
        path.join('log', path.basename(authA), '2024-05-09.00:00:00.log'),
        path.join('log', path.basename(authA), '2024-05-10.00:00:00.log'),
        path.join('log', path.basename(authB), '2024-05-09.00:00:00.log'),
      ].sort(),
    );
    expect(await importAuditLog({ out, inputs: [authB] })).toMatchObject({ imported: 1 });
    expect(await importAuditLog({ out, inputs: [path.join(dataDir, 'log')] })).toMatchObject({ imported: 3, duplicates: 1 });
  });

  it('refuses a folder without audit log files', async () => {
    await mkdir(path.join(dir, 'empty', 'playbacks'), { recursive: true });
    await expect(importAuditLog({ out, inputs: [path.join(dir, 'empty')] })).rejects.toBeInstanceOf(NoAuditLogFiles);
  });
});
