// `npm run bench`: performance figures as ratios against baselines measured in the same run.
// Not part of `npm test`; nothing here asserts wall-clock time.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { utcToday, windowDates, windowEndingOn, type DateWindow } from '@access-monitor/contracts';
import { generateDemoData } from '@access-monitor/audit-log';
import { createDuckDbEngine } from '@access-monitor/engine';
import { BUILT_IN_REPORTS, USAGE_QUERIES } from '@access-monitor/reports';
import { DUCKDB_COMPAT_MACROS, guardStatement, renderExecutable } from '@access-monitor/sql';
import { createDuckDbSqlParser } from '@access-monitor/engine/duckdb-parser';
import { createApp } from '../apps/server/src/app';
import { DEFAULT_LIMITS, embeddedConfig } from '../apps/server/src/config/load-config';
import { duckDbLimits } from '../apps/server/src/engine-for-config';
import { createIdentityForConfig } from '../apps/server/src/identity/identity-for-config';
import { addUser } from '../apps/server/src/identity/users-file';
import { presentMe } from '../apps/server/src/me/me-router';
import { loadRoleRegistry } from '../apps/server/src/roles/load-role-files';
import { createFsObjectStore } from '@access-monitor/storage';
import { createLogger } from '../apps/server/src/logger';
import { serviceCaller } from '../apps/server/src/executions/executions-service';
import { executionsOver } from '../apps/server/src/testing/test-executions';
import { benchActionScheduler } from './actions-bench';
import { benchAthenaPath } from './athena-bench';
import { benchQueryEditor } from './query-editor-bench';
import { benchImport } from './import-bench';
import { startRawDuckDb } from './raw-duckdb';
import { createReportServices } from '../apps/server/src/reports/report-services';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const DAYS = 90;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** `BENCH_ONLY=reports,athena`: only these sections (overview, paging, editor, reports, athena, actions, import), e.g. for a 10M-event run. */
const ONLY = process.env.BENCH_ONLY?.split(',').map((x) => x.trim());
const want = (section: string): boolean => !ONLY || ONLY.includes(section);
// Sections that need no generated audit data.
const DATA_SECTIONS = ['overview', 'paging', 'editor', 'reports', 'athena'];
/** Lines of the Teleport JSON log the import section writes and imports (`BENCH_IMPORT_LINES`). */
const IMPORT_LINES = Number(process.env.BENCH_IMPORT_LINES ?? 1_000_000);

const rows: Array<[string, string, string, string]> = [];
function report(what: string, value: string, baseline: string, ratio: string): void {
  rows.push([what, value, baseline, ratio]);
  console.log(`  ${what}: ${value} (baseline ${baseline}, ratio ${ratio})`);
}

async function timeMs<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v];
}

async function median(fn: () => Promise<unknown>, runs = RUNS): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timeMs(fn))[0]);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function windowFiles(dataDir: string, window: DateWindow): Promise<string[]> {
  const present = new Set(await readdir(dataDir));
  const files: string[] = [];
  for (const d of windowDates(window)) {
    if (!present.has(d)) continue;
    for (const f of await readdir(path.join(dataDir, d))) if (f.endsWith('.parquet')) files.push(path.join(dataDir, d, f));
  }
  return files;
}

const goals: Array<[string, string, string, string, string]> = [];
/** A goal of issue 13: target, measured value, the same run's baseline, and whether it is met. */
function goal(what: string, target: string, measured: string, baseline: string, met: boolean): void {
  goals.push([what, target, measured, baseline, met ? 'met' : 'MISSED']);
  console.log(`  goal ${what}: ${target}, measured ${measured} (baseline ${baseline}) → ${met ? 'met' : 'MISSED'}`);
}

/** The p-th percentile (0–100) of latencies sorted ascending. */
function percentiles(sorted: number[]): (p: number) => number {
  return (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Latency percentiles of `perClient` sequential calls from each of `clients` concurrent clients. */
async function underLoad(clients: number, perClient: number, fn: () => Promise<void>): Promise<(p: number) => number> {
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i++) latencies.push((await timeMs(fn))[0]);
    }),
  );
  return percentiles(latencies.sort((a, b) => a - b));
}

/** One step of a load client: a GET, the status it must answer, and headers (cookie, If-None-Match). */
interface LoadStep {
  url: string;
  headers?: Record<string, string>;
  status: number;
}

// The load clients' code, plain JavaScript for a worker thread: each client sends its steps in sequence
// (one timed call = all the steps), `perClient` times; answers the sorted latencies.
const LOAD_CLIENTS = `
const { parentPort, workerData } = require('node:worker_threads');
const { clients, perClient, steps } = workerData;
(async () => {
  const latencies = [];
  await Promise.all(Array.from({ length: clients }, async () => {
    for (let i = 0; i < perClient; i++) {
      const t0 = performance.now();
      for (const step of steps) {
        const res = await fetch(step.url, { headers: step.headers ?? {} });
        await res.arrayBuffer();
        if (res.status !== step.status) throw new Error(step.url + ' answered ' + res.status + ', expected ' + step.status);
      }
      latencies.push(performance.now() - t0);
    }
  }));
  parentPort.postMessage(latencies.sort((a, b) => a - b));
})();
`;

/**
 * Like underLoad, with the clients on a worker thread: their event loop is not the server's, so the
 * latencies are the server's answers rather than the clients' own queueing behind it.
 */
async function underLoadApart(clients: number, perClient: number, steps: LoadStep[]): Promise<(p: number) => number> {
  const worker = new Worker(LOAD_CLIENTS, { eval: true, workerData: { clients, perClient, steps } });
  const latencies = await new Promise<number[]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  return percentiles(latencies);
}

/**
 * The floor of the report page's figure on this machine: a bare node:http server answering each path with the
 * bytes the app sent (gzipped, as the app sends them), no routing, access control or logging, the same clients.
 */
async function bareServerLoad(clients: number, perClient: number, answers: Array<{ path: string; body: Buffer }>): Promise<(p: number) => number> {
  const bodies = new Map(answers.map((a) => [a.path, gzipSync(a.body)]));
  const server = createServer((req, res) => {
    const body = bodies.get(req.url ?? '');
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    return await underLoadApart(clients, perClient, answers.map((a) => ({ url: `${base}${a.path}`, status: 200 })));
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

/** The app listening on loopback, and the cookie of the bench's auditor signed in to it. */
async function signedIn(app: ReturnType<typeof createApp>): Promise<{ server: ReturnType<ReturnType<typeof createApp>['listen']>; base: string; cookie: string }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const login = await fetch(`${base}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: 'bench-password-1234' }) });
  return { server, base, cookie: login.headers.get('set-cookie')!.split(';')[0]! };
}

/** The process's peak resident set size, sampled every 50 ms until stopped. */
function sampleRss(): { before: number; max: number; stop(): void } {
  const state = { before: process.memoryUsage.rss(), max: process.memoryUsage.rss(), stop: () => clearInterval(timer) };
  const timer = setInterval(() => (state.max = Math.max(state.max, process.memoryUsage.rss())), 50);
  return state;
}

function printTable(): void {
  console.log('\n| figure | access-monitor | baseline (same run) | ratio |\n|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  if (goals.length === 0) return;
  console.log('\n| goal | target | measured | baseline (same run) | verdict |\n|---|---|---|---|---|');
  for (const g of goals) console.log(`| ${g.join(' | ')} |`);
}

async function main(): Promise<void> {
  // 8. The response-action scheduler needs no audit data: `BENCH_ONLY=actions` skips generating it.
  if (!DATA_SECTIONS.some(want)) {
    // The import section makes its own demo data for its log.
    if (want('import')) await benchImport({ lines: IMPORT_LINES, report, goal });
    if (want('actions')) await benchActionScheduler({ report, median });
    printTable();
    return;
  }
  const root = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-bench-'));
  const dataDir = path.join(root, 'events');
  const end = utcToday(new Date());
  console.log(`access-monitor bench: ${EVENTS.toLocaleString('en')} events over ${DAYS} days, median of ${RUNS} runs, ${os.cpus().length} cores`);

  // 1. Demo generation. Baseline: DuckDB writing the same rows from memory (COPY of an in-memory table to Parquet).
  const [genMs, gen] = await timeMs(() => generateDemoData({ out: dataDir, days: DAYS, events: EVENTS, seed: 1, end }));
  // Every raw DuckDB baseline runs in a process of its own: its memory never counts as the server's.
  const raw = await startRawDuckDb();
  await raw.time(`CREATE TABLE copy_src AS SELECT * FROM read_parquet('${path.join(dataDir, '*', '*.parquet')}')`);
  const copyMs = await raw.time(`COPY copy_src TO '${path.join(root, 'copy-baseline.parquet')}' (FORMAT parquet, COMPRESSION snappy)`);
  await raw.time('DROP TABLE copy_src');
  report(
    `demo generation of ${gen.events.toLocaleString('en')} events`,
    `${Math.round(gen.events / (genMs / 1000)).toLocaleString('en')} events/s`,
    `raw DuckDB Parquet write ${Math.round(gen.events / (copyMs / 1000)).toLocaleString('en')} rows/s`,
    `${(genMs / copyMs).toFixed(1)}× the time of writing alone`,
  );
  // Issue 13: 10M events in ≤ 60 s. Smaller runs project linearly (generation is per day, in order).
  const tenMillionS = (genMs / 1000) * (10_000_000 / gen.events);
  goal(
    'demo generation of 10,000,000 events',
    '≤ 60 s',
    gen.events >= 10_000_000 ? `${(genMs / 1000).toFixed(1)} s` : `${tenMillionS.toFixed(0)} s projected from ${(genMs / 1000).toFixed(1)} s for ${gen.events.toLocaleString('en')}`,
    `raw DuckDB Parquet write of the same rows ${(copyMs / 1000).toFixed(1)} s`,
    tenMillionS <= 60,
  );

  // 1b. The typed event store built from the generated Parquet (as `npm start` and the server do), vs DuckDB
  //     reading the same Parquet and writing it once; then one more 10k-event chunk appended to it.
  // The server's default limits (engine_memory, threads), so the RSS figure is what a default install would use.
  const engine = await createDuckDbEngine({ dataDir, resultsDir: path.join(root, 'results'), typedDir: path.join(root, 'typed'), ...duckDbLimits(DEFAULT_LIMITS) });
  const onceMs = await raw.time(`COPY (SELECT * FROM read_parquet('${path.join(dataDir, '*', '*.parquet')}')) TO '${path.join(root, 'read-write-once.parquet')}' (FORMAT parquet)`);
  const [buildMs, built] = await timeMs(() => engine.typedStore!.sync());
  report(`typed event store build, ${built.events.toLocaleString('en')} events`, ms(buildMs), `raw DuckDB reading the same Parquet and writing it once ${ms(onceMs)}`, `${(buildMs / onceMs).toFixed(2)}×`);
  goal('typed store build for the generated events', '≤ 2× read + write once', `${(buildMs / 1000).toFixed(1)} s (${(buildMs / onceMs).toFixed(2)}×)`, `read + write once ${(onceMs / 1000).toFixed(1)} s`, buildMs <= 2 * onceMs);
  await generateDemoData({ out: dataDir, days: 1, events: 10_000, seed: 99, end });
  const [appendMs, appended] = await timeMs(() => engine.typedStore!.sync());
  report(`typed store: append one chunk of ${appended.events.toLocaleString('en')} events`, ms(appendMs), `full build ${ms(buildMs)}`, `${(appendMs / buildMs).toFixed(3)}×`);
  goal('typed store: append a 10k-event chunk', '≤ 1 s', ms(appendMs), `full build ${ms(buildMs)}`, appendMs <= 1000);

  // 2. Overview queries through the engine (typed store) vs the same views by JSON extraction on a raw DuckDB connection.
  const executions = executionsOver(engine, path.join(root, 'bench-log'));
  const caller = serviceCaller('cli');
  await raw.time(...DUCKDB_COMPAT_MACROS, "SET TimeZone='UTC'", 'SET integer_division=true');
  const parser = await createDuckDbSqlParser();
  const window = windowEndingOn(end, 30);
  const files = await windowFiles(dataDir, window);
  let productTotal = 0;
  let rawTotal = 0;
  for (const q of want('overview') ? USAGE_QUERIES : []) {
    const rendered = renderExecutable(await guardStatement(q.sql, parser), window, { dialect: 'duckdb', files });
    const rawMs = await raw.median([rendered], RUNS);
    let attempt = 0;
    const productMs = await median(() => executions.runToCompletion(caller, { sql: q.sql, window, intent: [q.id, String(attempt++)] }, 600_000));
    productTotal += productMs;
    rawTotal += rawMs;
    report(`overview query ${q.id} (30 days)`, ms(productMs), `raw DuckDB ${ms(rawMs)}`, `${(productMs / rawMs).toFixed(2)}×`);
  }

  // 3. The overview endpoint over HTTP as a signed-in auditor (cache-cold: a fresh app per run) vs the raw queries in sequence.
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const logger = createLogger({ level: 'warn', destination: sink });
  const usersFile = path.join(root, 'users.yaml');
  await addUser(usersFile, { name: 'bench', roles: ['auditor'], password: 'bench-password-1234' });
  const config = embeddedConfig({ eventsDir: dataDir, resultsDir: path.join(root, 'state'), usersFile });
  const roles = await loadRoleRegistry([]);
  const store = createFsObjectStore(path.join(root, 'state'));
  const identity = await createIdentityForConfig(config.auth, { store, logger, present: (u) => presentMe(u, 'local', roles) });
  if (want('overview')) {
    // Each run: a fresh app (an empty serving cache: every query runs), signed in, then its first overview
    // request. The goal times that request; the row after it adds building the app and signing in.
    const firstRequest: number[] = [];
    const withSignInMs = await median(async () => {
      const { server, base, cookie } = await signedIn(createApp({ config, engine, store, identity, roles, logger }));
      const [requestMs] = await timeMs(async () => {
        const res = await fetch(`${base}/api/v1/usage/overview?days=30`, { headers: { cookie } });
        if (res.status !== 200) throw new Error(`overview answered ${res.status}`);
        await res.json();
      });
      firstRequest.push(requestMs);
      await new Promise<void>((r) => server.close(() => r()));
    });
    const endpointMs = [...firstRequest].sort((a, b) => a - b)[Math.floor(firstRequest.length / 2)]!;
    report('GET /api/v1/usage/overview?days=30 (cold: first request of a fresh app)', ms(endpointMs), `raw DuckDB, queries one after another ${ms(rawTotal)}`, `${(endpointMs / rawTotal).toFixed(2)}×`);
    report('fresh app + sign-in + first overview request', ms(withSignInMs), `raw DuckDB, queries one after another ${ms(rawTotal)}`, `${(withSignInMs / rawTotal).toFixed(2)}×`);
    goal('overview, 30 days, cold (first request of a fresh app)', '≤ 300 ms', ms(endpointMs), `raw DuckDB over JSON, one after another ${ms(rawTotal)}`, endpointMs <= 300);

    // Warm: the same instance again (nothing changed), as every user after the first sees it, vs /healthz there.
    const { server, base, cookie } = await signedIn(createApp({ config, engine, store, identity, roles, logger }));
    const overview = async () => {
      const res = await fetch(`${base}/api/v1/usage/overview?days=30`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`overview answered ${res.status}`);
      await res.arrayBuffer();
    };
    await overview();
    const warm = await underLoad(1, 50, overview);
    const healthz = await underLoad(1, 50, async () => void (await (await fetch(`${base}/healthz`)).arrayBuffer()));
    await new Promise<void>((r) => server.close(() => r()));
    report('GET /api/v1/usage/overview?days=30 (warm) p50', ms(warm(50)), `/healthz p50 on the same server ${ms(healthz(50))}`, `${(warm(50) / healthz(50)).toFixed(2)}×`);
    goal('overview, 30 days, warm (p50 of 50 requests)', '≤ 20 ms', ms(warm(50)), `/healthz p50 ${ms(healthz(50))}`, warm(50) <= 20);
  }

  // 4. Result paging: a large result, first page and a page near the end.
  if (want('paging')) {
    const bigSql = 'SELECT event_time, event_type, "user", session_id FROM audit_events ORDER BY event_time';
    const [runMs, big] = await timeMs(async () => {
      return executions.runSucceeded(caller, { sql: bigSql, window, intent: [`big-${Date.now()}`] }, 600_000);
    });
    const total = big.rowCount ?? 0;
    const renderedBig = renderExecutable(await guardStatement(bigSql, parser), window, { dialect: 'duckdb', files });
    const rawAllMs = await raw.median([renderedBig], 3);
    report(`run + write a ${total.toLocaleString('en')}-row result`, ms(runMs), `raw DuckDB reading all rows ${ms(rawAllMs)}`, `${(runMs / rawAllMs).toFixed(2)}×`);
    const firstMs = await median(() => engine.page(big.id, 0, 100));
    const lastMs = await median(() => engine.page(big.id, Math.max(0, total - 100), 100));
    const rawFirstMs = await raw.median([`${renderedBig} LIMIT 100`], RUNS);
    report('result page 1 (100 rows)', ms(firstMs), `raw DuckDB re-running with LIMIT 100 ${ms(rawFirstMs)}`, `${(firstMs / rawFirstMs).toFixed(2)}×`);
    report(`result page at row ${Math.max(0, total - 100).toLocaleString('en')}`, ms(lastMs), `result page 1 ${ms(firstMs)}`, `${(lastMs / firstMs).toFixed(2)}×`);
  }

  // 4b. The audit query editor: a result of every event (~1M rows) through the HTTP API (grid pages, CSV export
  //     with the server's RSS growth), and the initial JS of the dashboard vs the editor route.
  if (want('editor')) {
    await benchQueryEditor({
      app: createApp({ config, engine, store, identity, roles, logger }),
      engine,
      resultsDir: path.join(root, 'results'),
      login: { username: 'bench', password: 'bench-password-1234' },
      window: windowEndingOn(end, DAYS),
      report,
      median,
    });
  }

  // 5. Full security report runs through the run service (all queries, period diff, completeness,
  //    stored results) vs the same detail + chart SQL one after another on raw DuckDB.
  if (want('reports')) {
    const reportDays = 90;
    const reportWindow = windowEndingOn(end, reportDays);
    const reportFiles = await windowFiles(dataDir, reportWindow);
    const reports = createReportServices({ engine, store, config, logger, now: () => new Date() });
    const rssPeak = sampleRss();
    const runIds = new Map<string, string>();
    for (const r of BUILT_IN_REPORTS) {
      const rendered = await Promise.all(
        r.queries.flatMap((q) => [q.detailSql ?? q.chartSql, q.chartSql]).map(async (sql) => renderExecutable(await guardStatement(sql, parser), reportWindow, { dialect: 'duckdb', files: reportFiles })),
      );
      const rawReportMs = await raw.median(rendered, Math.min(3, RUNS));
      const runMs = await median(async () => {
        const started = await reports.runs.start(r.name, { days: reportDays, end });
        await reports.runs.settled(r.name, reportDays);
        runIds.set(r.name, started.runId);
      }, Math.min(3, RUNS));
      report(`${r.name} run (${reportDays} days, ${r.queries.length} queries)`, ms(runMs), `raw DuckDB detail + chart SQL in sequence ${ms(rawReportMs)}`, `${(runMs / rawReportMs).toFixed(2)}×`);
      goal(`${r.name} run, ${reportDays} days of ${EVENTS.toLocaleString('en')} events`, '≤ 2 s and ≤ 0.2× raw', `${ms(runMs)} (${(runMs / rawReportMs).toFixed(2)}×)`, `raw DuckDB over the JSON, same SQL in sequence ${ms(rawReportMs)}`, runMs <= 2000 && runMs <= 0.2 * rawReportMs);
    }
    goal(`peak RSS of the server's process (app + engine) while running reports (${EVENTS.toLocaleString('en')} events; baselines in a process of their own)`, '≤ 1.5 GB', `${(rssPeak.max / 1024 ** 2).toFixed(0)} MB`, `RSS before the reports ${(rssPeak.before / 1024 ** 2).toFixed(0)} MB`, rssPeak.max <= 1.5 * 1024 ** 3);
    rssPeak.stop();

    // 6. The cached report page as the SPA loads it (GET /runs/:id?view=page, then the first 100 rows of its
    //    biggest finding) at 50 concurrent clients vs re-running that finding's detail query with LIMIT 100 on
    //    raw DuckDB, and vs the floor: a bare node:http server sending the same bytes from memory to the same clients.
    const { server: pageServer, base: pageBase, cookie: pageCookie } = await signedIn(createApp({ config, engine, store, identity, roles, logger, reports }));
    const runId = runIds.get('privilege_access_report')!;
    const runPage = `/api/v1/runs/${runId}?view=page`;
    const run = (await (await fetch(`${pageBase}${runPage}`, { headers: { cookie: pageCookie } })).json()) as { queries: Array<{ id: string; rowCount?: number; detailSql: string }> };
    const biggest = [...run.queries].sort((a, b) => (b.rowCount ?? 0) - (a.rowCount ?? 0))[0]!;
    const CLIENTS = 50;
    const PER_CLIENT = Number(process.env.BENCH_PAGE_REQUESTS ?? 20);
    // The clients run on a worker thread, out of the server's event loop (in the bench's process they would
    // queue behind the server and measure themselves). Baseline: the same clients making the same two
    // requests to /healthz on the same server (client, HTTP and process cost).
    const healthz = await underLoadApart(CLIENTS, PER_CLIENT, [{ url: `${pageBase}/healthz`, status: 200 }, { url: `${pageBase}/healthz`, status: 200 }]);
    const pagePaths = [runPage, `/api/v1/runs/${runId}/queries/${biggest.id}/rows?offset=0&limit=100`];
    const pct = await underLoadApart(CLIENTS, PER_CLIENT, pagePaths.map((p) => ({ url: `${pageBase}${p}`, headers: { cookie: pageCookie }, status: 200 })));
    // A client that keeps what it was sent (the SPA's query cache) revalidates: 304 without a body.
    const answers = await Promise.all(pagePaths.map(async (p) => {
      const res = await fetch(`${pageBase}${p}`, { headers: { cookie: pageCookie } });
      return { path: p, etag: res.headers.get('etag') ?? '', body: Buffer.from(await res.arrayBuffer()) };
    }));
    const revalidate = await underLoadApart(CLIENTS, PER_CLIENT, answers.map(({ path: p, etag }) => ({ url: `${pageBase}${p}`, headers: { cookie: pageCookie, 'if-none-match': etag }, status: 304 })));
    await new Promise<void>((r) => pageServer.close(() => r()));
    const floor = await bareServerLoad(CLIENTS, PER_CLIENT, answers);
    const rawDetailMs = await raw.median([`${renderExecutable(await guardStatement(biggest.detailSql, parser), reportWindow, { dialect: 'duckdb', files: reportFiles })} LIMIT 100`], RUNS);
    const pageKb = answers.map((a) => `${(a.body.length / 1024).toFixed(0)} kB`).join(' + ');
    report(`report page p50 (run page view + 100 rows of ${biggest.id}: ${pageKb} of JSON, ${CLIENTS} concurrent)`, ms(pct(50)), `raw DuckDB re-running the finding with LIMIT 100 ${ms(rawDetailMs)}`, `${(pct(50) / rawDetailMs).toFixed(2)}×`);
    report(`report page p99 (${CLIENTS} concurrent, ${CLIENTS * PER_CLIENT} page loads)`, ms(pct(99)), `raw DuckDB re-running the finding with LIMIT 100 ${ms(rawDetailMs)}`, `${(pct(99) / rawDetailMs).toFixed(2)}×`);
    report(`report page p99 vs /healthz (${CLIENTS} concurrent)`, ms(pct(99)), `two /healthz requests p99 ${ms(healthz(99))}`, `${(pct(99) / healthz(99)).toFixed(2)}×`);
    report(`report page p99 vs the floor (${CLIENTS} concurrent)`, ms(pct(99)), `bare node:http sending the same bytes from memory, p99 ${ms(floor(99))}`, `${(pct(99) / floor(99)).toFixed(2)}×`);
    report(`report page revalidated (If-None-Match → 304) p99`, ms(revalidate(99)), `two /healthz requests p99 ${ms(healthz(99))}`, `${(revalidate(99) / healthz(99)).toFixed(2)}×`);
    goal(`report page p99 (run + 100 rows, ${CLIENTS} concurrent)`, '≤ 20 ms', ms(pct(99)), `two /healthz requests p99 ${ms(healthz(99))}; the floor (bare node:http, same bytes) ${ms(floor(99))}`, pct(99) <= 20);
  }

  // 7. The production path on the loopback peers: BFF overhead per query on Athena, streaming results from S3.
  if (want('athena')) {
    await benchAthenaPath({ root, dataDir, window, report });
  }

  if (want('import')) await benchImport({ lines: Math.min(IMPORT_LINES, gen.events), dataDir, report, goal });

  if (want('actions')) await benchActionScheduler({ report, median });

  parser.close();
  await raw.close();
  await engine.close();
  await rm(root, { recursive: true, force: true });

  printTable();
  console.log(`\n(product total for the overview queries ${ms(productTotal)}, raw ${ms(rawTotal)})`);
}

await main();
