import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '@access-monitor/audit-log';
import { Execution, ProblemTypes, ReportRunList, ResultsPage, RevisionList, isTerminalState, utcToday, type ReportSummary } from '@access-monitor/contracts';
import { createFsObjectStore } from '@access-monitor/storage';
import { importResources } from '../cli/report-resources-command';
import { addUser } from '../identity/users-file';
import { expectProblem } from '../testing/expect-problem';
import { recordFigures } from './reliability-figures';

const BIN = fileURLToPath(new URL('../../bin/access-monitor.js', import.meta.url));
const PASSWORD = 'crash-test-password-0123';
/** A custom report whose one query takes a few seconds: a run is certainly still RUNNING when the process is killed. */
const SLOW_REPORT = `kind: security_report
metadata:
  name: slow_report
spec:
  name: slow_report
  title: Slow report
  desc: A report that takes seconds
  version: 0.0.1
  audit_queries:
  - name: slow_sessions
    title: Slow sessions
    query: SELECT event_date, COUNT(DISTINCT md5(uid || CAST(x AS VARCHAR))) AS count, "user" FROM session_start CROSS JOIN UNNEST(range(1, 3000)) AS t(x) GROUP BY event_date, "user"
version: v1
`;
/** A result of about a million rows: its CSV takes a while to write. */
const BIG_RESULT = 'SELECT uid, x FROM audit_events CROSS JOIN UNNEST(range(0, 100)) AS t(x)';

let dir: string;
let config: string;
let events: string;
let stateDir: string;
const figures = { crashPoints: [] as string[], restarts: 0, objectsChecked: 0, importLines: 0 };

interface Served {
  url: string;
  proc: ChildProcessByStdio<null, Readable, Readable>;
  output: () => string;
  cookies: Map<string, string>;
}

/** `access-monitor serve` as a real process, resolved once it prints its URL. */
async function serve(): Promise<Served> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--config', config, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d));
  proc.stderr.on('data', (d: Buffer) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /serving the dashboard on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve(m[1]!);
      }
    }, 20);
    proc.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`serve exited ${code}: ${out}`));
    });
  });
  return { url, proc, output: () => out, cookies: new Map() };
}

async function kill(s: Served, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
  if (s.proc.exitCode !== null) return s.proc.exitCode;
  const exited = new Promise<number | null>((resolve) => s.proc.once('exit', (code) => resolve(code)));
  s.proc.kill(signal);
  return exited;
}

async function call(s: Served, user: 'auditor' | 'editor', pathname: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
  if (!s.cookies.has(user)) {
    const login = await fetch(`${s.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: PASSWORD }) });
    expect(login.status).toBe(200);
    s.cookies.set(user, login.headers.get('set-cookie')!.split(';')[0]!);
  }
  return fetch(`${s.url}${pathname}`, {
    method: init.method ?? 'GET',
    headers: { cookie: s.cookies.get(user)!, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every object of the store, read and parsed as the server reads it: none may be corrupt. */
async function expectEveryObjectReadable(): Promise<number> {
  const store = createFsObjectStore(stateDir);
  let n = 0;
  for await (const o of store.list('')) {
    const text = Buffer.from((await store.get(o.key)).body).toString('utf8');
    if (o.key.endsWith('.json')) expect(() => JSON.parse(text), o.key).not.toThrow();
    n++;
  }
  return n;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-crash-'));
  events = path.join(dir, 'events');
  stateDir = path.join(dir, 'report_results');
  // serve uses the real clock: the data ends today.
  await generateDemoData({ out: events, days: 10, events: 20_000, seed: 5, end: utcToday(new Date()) });
  for (const [name, roles] of [['auditor', ['auditor']], ['editor', ['editor']]] as const) {
    await addUser(path.join(dir, 'users.yaml'), { name, roles: [...roles], password: PASSWORD }, { N: 1024, r: 8, p: 1 });
  }
  config = path.join(dir, 'access-monitor.yaml');
  await writeFile(
    config,
    `access_monitoring:\n  report_results: file://${stateDir}\naudit_events_uri: parquet://${events}\nauth:\n  mode: local\n  local:\n    users_file: ./users.yaml\n` +
      // No refresh of every report on start (that is not what is tested); a fixed name, so a restart knows its runs.
      `reports:\n  refresh_on_start: false\n  instance_id: crash-test\n`,
  );
  await writeFile(path.join(dir, 'slow.yaml'), SLOW_REPORT);
  await importResources([path.join(dir, 'slow.yaml'), '--config', config], new Writable({ write: (_c, _e, cb) => cb() }));
});
afterAll(async () => {
  await recordFigures('crash-safety', figures);
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
});

describe('crash safety: SIGKILL, then restart', () => {
  it('recovers a report run killed while RUNNING, a save and a result write killed mid-way, serving nothing half-written', { timeout: 240_000 }, async () => {
    // 1. Killed during a report run.
    let server = await serve();
    const started = await call(server, 'auditor', '/api/v1/reports/slow_report/runs', { method: 'POST', body: { days: 7 } });
    expect(started.status).toBe(202);
    const killedRun = ((await started.json()) as { runId: string }).runId;
    await kill(server);
    figures.crashPoints.push('report run RUNNING');
    const stateFile = path.join(stateDir, 'report-states/slow_report/7d.json');
    const stored = createFsObjectStore(stateDir);
    expect((await stored.getJson(path.relative(stateDir, stateFile))).value).toMatchObject({ state: 'RUNNING', runId: killedRun });
    expect(existsSync(path.join(stateDir, 'runs', killedRun, 'manifest.json'))).toBe(false);

    // Restart: the interrupted run is marked FAILED and run again; the killed run is never served.
    server = await serve();
    figures.restarts++;
    const rerun = await until('the re-run to finish', async () => {
      const report = (await (await call(server, 'auditor', '/api/v1/reports/slow_report')).json()) as ReportSummary;
      const seven = report.states.find((s) => s.days === 7);
      return seven?.state === 'READY' && seven.runId !== killedRun ? seven.runId : undefined;
    });
    expect(server.output()).toMatch(/report run was interrupted by a restart; marked FAILED/);
    await expectProblem(await call(server, 'auditor', `/api/v1/runs/${killedRun}`), 404, ProblemTypes.notFound);
    expect(ReportRunList.parse(await (await call(server, 'auditor', '/api/v1/reports/slow_report/runs?days=7')).json()).runs.map((r) => r.runId)).toEqual([rerun]);
    expect((await call(server, 'auditor', `/api/v1/runs/${rerun}`)).status).toBe(200);

    // 2 and 3. Killed while saving a query over and over, and while a big result is being written.
    expect((await call(server, 'editor', '/api/v1/queries/crash-save', { method: 'PUT', body: { title: 'rev 1', sql: 'SELECT 1 AS x' }, headers: { 'if-none-match': '*' } })).status).toBe(201);
    let acknowledged = 1;
    let saving = true;
    const saves = (async () => {
      while (saving) {
        const res = await call(server, 'editor', '/api/v1/queries/crash-save', {
          method: 'PUT',
          body: { title: `rev ${acknowledged + 1}`, sql: 'SELECT 1 AS x' },
          headers: { 'if-match': `"crash-save.r${acknowledged}"` },
        }).catch(() => undefined);
        if (res?.status !== 200) return;
        acknowledged++;
      }
    })();
    await until('a few saves', async () => acknowledged >= 5 || undefined);
    const big = Execution.parse(await (await call(server, 'auditor', '/api/v1/executions', { method: 'POST', body: { sql: BIG_RESULT, days: 7 } })).json());
    const partial = path.join(stateDir, 'query-results', `${big.id}.csv.tmp`);
    await until('the result file to be part-written', async () => ((await stat(partial).catch(() => undefined))?.size ?? 0) > 1_000_000 || undefined);
    await kill(server);
    expect(existsSync(path.join(stateDir, 'query-results', `${big.id}.csv`))).toBe(false); // killed mid-write, not after
    saving = false;
    await saves;
    figures.crashPoints.push('query save', 'result write');

    server = await serve();
    figures.restarts++;
    // The killed execution is FAILED and serves no rows; run again, it gives the whole result.
    const interrupted = Execution.parse(await (await call(server, 'auditor', `/api/v1/executions/${big.id}`)).json());
    expect(interrupted).toMatchObject({ state: 'FAILED', error: { type: ProblemTypes.engineFailed, detail: expect.stringMatching(/stopped while this execution was RUNNING/) } });
    await expectProblem(await call(server, 'auditor', `/api/v1/executions/${big.id}/results`), 409, ProblemTypes.resultNotReady);
    await expectProblem(await call(server, 'auditor', `/api/v1/executions/${big.id}/results.csv`), 409, ProblemTypes.resultNotReady);
    let again = Execution.parse(await (await call(server, 'auditor', '/api/v1/executions', { method: 'POST', body: { sql: BIG_RESULT, days: 7 } })).json());
    again = await until('the re-run query', async () => {
      const e = Execution.parse(await (await call(server, 'auditor', `/api/v1/executions/${again.id}`)).json());
      return isTerminalState(e.state) ? e : undefined;
    });
    expect(again.state).toBe('SUCCEEDED');
    const count = Execution.parse(await (await call(server, 'auditor', '/api/v1/executions', { method: 'POST', body: { sql: 'SELECT count(*) * 100 AS n FROM audit_events', days: 7 } })).json());
    await until('the count', async () => (isTerminalState(Execution.parse(await (await call(server, 'auditor', `/api/v1/executions/${count.id}`)).json()).state) ? true : undefined));
    const expected = ResultsPage.parse(await (await call(server, 'auditor', `/api/v1/executions/${count.id}/results`)).json()).rows[0]![0];
    expect(again.rowCount).toBe(expected);

    // Every revision acknowledged before the kill is there, numbered without a gap; at most the one in flight was added.
    const revisions = RevisionList.parse(await (await call(server, 'auditor', '/api/v1/queries/crash-save/revisions')).json()).revisions;
    expect(revisions.map((r) => r.revision)).toEqual(Array.from({ length: revisions.length }, (_, i) => i + 1));
    expect(revisions.length - acknowledged).toBeGreaterThanOrEqual(0);
    expect(revisions.length - acknowledged).toBeLessThanOrEqual(1);
    // And saving goes on from the latest revision.
    const latest = await call(server, 'auditor', '/api/v1/queries/crash-save');
    const next = await call(server, 'editor', '/api/v1/queries/crash-save', { method: 'PUT', body: { title: 'after the crash', sql: 'SELECT 1 AS x' }, headers: { 'if-match': latest.headers.get('etag')! } });
    expect(next.status).toBe(200);

    // No object in the store is corrupt, and the server stops cleanly on SIGTERM.
    figures.objectsChecked = await expectEveryObjectReadable();
    expect(await kill(server, 'SIGTERM')).toBe(0);
  });

  it('keeps an import killed mid-write readable, and a second import completes it without duplicates', { timeout: 180_000 }, async () => {
    const log = path.join(dir, 'audit.log');
    const out = path.join(dir, 'imported');
    const lines = 300_000;
    const day = (i: number) => `2026-01-${String(1 + (i % 20)).padStart(2, '0')}`;
    const text = Array.from(
      { length: lines },
      (_, i) =>
        `{"ei":0,"event":"session.start","uid":"00000000-0000-4000-8000-${String(i).padStart(12, '0')}","code":"T2000I","time":"${day(i)}T10:00:00.${String(i % 1000).padStart(3, '0')}Z","user":"user-${i % 97}","sid":"s-${i}","login":"root","server_hostname":"web-${i % 13}","proto":"ssh"}`,
    ).join('\n');
    await writeFile(log, `${text}\n`);
    figures.importLines = lines;

    const first = spawn(process.execPath, [BIN, 'import', '--out', out, log], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => first.once('exit', (code) => resolve(code)));
    // Killed while a Parquet chunk is being written (its hidden temp file exists).
    await until(
      'a Parquet chunk being written',
      async () => {
        const names = await readdir(out, { recursive: true }).catch(() => [] as string[]);
        return names.some((n) => n.endsWith('.parquet.tmp')) || undefined;
      },
      120_000,
    );
    first.kill('SIGKILL');
    expect(await exited).toBeNull();
    figures.crashPoints.push('import');

    // Whatever was written is whole: every visible chunk reads.
    const duck = await DuckDBInstance.create(':memory:');
    const conn = await duck.connect();
    const chunks = (await readdir(out, { recursive: true })).filter((n) => n.endsWith('.parquet'));
    for (const chunk of chunks) await conn.run(`SELECT count(*) FROM read_parquet('${path.join(out, chunk)}')`);

    // The second import adds exactly what is missing.
    const second = spawn(process.execPath, [BIN, 'import', '--out', out, log], { stdio: ['ignore', 'pipe', 'pipe'] });
    let printed = '';
    second.stdout.on('data', (d: Buffer) => (printed += d));
    second.stderr.on('data', (d: Buffer) => (printed += d));
    expect(await new Promise((resolve) => second.once('exit', resolve)), printed).toBe(0);
    expect(printed).toMatch(new RegExp(`read ${lines} lines: imported \\d+, already present \\d+, rejected 0`));
    const total = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n, count(DISTINCT uid)::INTEGER AS u FROM read_parquet('${out}/*/*.parquet')`);
    expect(total.getRowObjects()[0]).toEqual({ n: lines, u: lines });
    conn.closeSync();
    duck.closeSync();
  });
});
