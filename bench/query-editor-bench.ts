// Audit query editor figures for `npm run bench` (issue #7): a ~1M-row result through the HTTP API (first page,
// a page near the end, the whole CSV with the server's memory growth) and the dashboard's initial JS with and
// without the editor route, as bytes the server sends. Ratios are against baselines measured in the same run.
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { DateWindow, Execution } from '@access-monitor/contracts';
import type { QueryEngine } from '@access-monitor/engine';
import express, { type Express } from 'express';
import { precompressedAssets } from '../apps/server/src/spa/precompressed-assets';
import { createSpaRouter } from '../apps/server/src/spa/spa-router';
// @ts-expect-error -- a plain .mjs script shared with the e2e runner
import { ensureWebBuild } from '../scripts/ensure-web-build.mjs';

type Report = (what: string, value: string, baseline: string, ratio: string) => void;
type Median = (fn: () => Promise<unknown>, runs?: number) => Promise<number>;

interface Context {
  /** The app as the server runs it, over the bench's data. */
  app: Express;
  engine: QueryEngine;
  /** Where the engine writes `<id>.csv`. */
  resultsDir: string;
  login: { username: string; password: string };
  /** The whole generated data: ~1M events, so the SELECT below returns ~1M rows. */
  window: DateWindow;
  report: Report;
  median: Median;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const rate = (rows: number, millis: number) => `${Math.round(rows / (millis / 1000)).toLocaleString('en')} rows/s`;
const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export async function benchQueryEditor(ctx: Context): Promise<void> {
  const { app, engine, resultsDir, report, median } = ctx;
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const login = await fetch(`${base}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ctx.login) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const get = (p: string) => fetch(`${base}${p}`, { headers: { cookie } });

    // A result of every event of the data, as a user would run it.
    const sql = 'SELECT event_time, event_type, "user", session_id, uid FROM audit_events ORDER BY event_time, uid';
    const started = await fetch(`${base}/api/v1/executions`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ sql, start: ctx.window.start, end: ctx.window.end }),
    });
    let e = (await started.json()) as Execution;
    while (e.state === 'QUEUED' || e.state === 'RUNNING') {
      await new Promise((r) => setTimeout(r, 50));
      e = (await (await get(`/api/v1/executions/${e.id}`)).json()) as Execution;
    }
    if (e.state !== 'SUCCEEDED') throw new Error(`bench query ended ${e.state}: ${JSON.stringify(e.error)}`);
    const total = e.rowCount!;
    const page = 200;
    const near = Math.max(0, total - page - 1000);

    // The grid's first page and a page near the end, through HTTP, vs the engine's reader called directly.
    const httpPage = (offset: number) => async () => {
      const res = await get(`/api/v1/executions/${e.id}/results?offset=${offset}&limit=${page}`);
      if (res.status !== 200) throw new Error(`results answered ${res.status}`);
      await res.json();
    };
    const firstHttp = await median(httpPage(0));
    const nearHttp = await median(httpPage(near));
    const firstDirect = await median(() => engine.page(e.id, 0, page));
    report(`grid: first page (${page} rows) of a ${total.toLocaleString('en')}-row result over HTTP`, ms(firstHttp), `engine reader directly ${ms(firstDirect)}`, `${(firstHttp / firstDirect).toFixed(2)}×`);
    report(`grid: page at row ${near.toLocaleString('en')} over HTTP`, ms(nearHttp), `first page over HTTP ${ms(firstHttp)}`, `${(nearHttp / firstHttp).toFixed(2)}×`);

    // The whole CSV through HTTP, read as it streams, sampling the process's RSS (the server runs in this process).
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 10);
    let lines = 0;
    const t0 = performance.now();
    const csv = await get(`/api/v1/executions/${e.id}/results.csv`);
    const reader = csv.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const byte of value) if (byte === 10) lines++;
    }
    const csvMs = performance.now() - t0;
    clearInterval(sampler);
    if (lines !== total + 1) throw new Error(`the CSV has ${lines} lines for ${total} rows`);
    // Baseline: reading the same file from disk, no HTTP, no parsing.
    const file = path.join(resultsDir, `${e.id}.csv`);
    const diskMs = await median(() => pipeline(createReadStream(file), new Writable({ write: (_c, _e, cb) => cb() })), 3);
    report(`CSV export of ${total.toLocaleString('en')} rows over HTTP`, rate(total, csvMs), `reading the file from disk ${rate(total, diskMs)}`, `${(csvMs / diskMs).toFixed(2)}× the time`);
    report('server RSS growth during that CSV export', MB(rssPeak - rssBefore), `RSS before ${MB(rssBefore)}`, `${((rssPeak - rssBefore) / rssBefore).toFixed(3)}`);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }

  await reportInitialJs(report);
}

/** One GET as a browser asking for brotli or gzip sends it: the body bytes as they came over the wire (not decoded). */
function transferred(base: string, p: string): Promise<{ bytes: number; encoding: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${p}`, { headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`GET ${p} answered ${res.statusCode}`));
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const length = res.headers['content-length'];
          if (length !== undefined && Number(length) !== body.length) return reject(new Error(`GET ${p}: Content-Length ${length}, ${body.length} bytes received`));
          resolve({ bytes: body.length, encoding: String(res.headers['content-encoding'] ?? 'identity'), body });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/**
 * KB of JS a first visit transfers, as the server sends it to a browser accepting br/gzip: the scripts and module
 * preloads of the served index.html, plus the lazy chunks the route loads (the overview's charts; the editor's page and
 * CodeMirror). Served by the server's own SPA handlers (precompressed assets, then the SPA router), as app.ts mounts them.
 */
export async function reportInitialJs(report: Report): Promise<void> {
  ensureWebBuild();
  const dist = fileURLToPath(new URL('../apps/web/dist/', import.meta.url));
  const manifestFile = path.join(dist, '.vite', 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error('no vite manifest: build.manifest is off in vite.config.ts');
  type Chunk = { file: string; src?: string; imports?: string[] };
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, Chunk>;
  const keyOf = (src: string) => Object.keys(manifest).find((k) => manifest[k]!.src?.endsWith(src));
  const closure = (keys: Array<string | undefined>): Set<string> => {
    const files = new Set<string>();
    const visit = (key: string) => {
      const chunk = manifest[key];
      if (!chunk || files.has(`/${chunk.file}`)) return;
      files.add(`/${chunk.file}`);
      for (const k of chunk.imports ?? []) visit(k);
    };
    for (const k of keys) if (k) visit(k);
    return files;
  };

  const web = express().use(precompressedAssets(dist, 60 * 60 * 1000)).use(createSpaRouter(dist));
  const server = web.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    // What the served page itself asks for: its module scripts and module preloads.
    const html = (await transferred(base, '/')).body.toString('utf8');
    const fromHtml = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\brel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map((m) => m[1]!);
    if (fromHtml.length === 0) throw new Error('the served index.html names no module script');
    const dashboard = new Set([...fromHtml, ...closure([keyOf('features/usage/components/usage-charts.tsx')])]);
    const editor = new Set([...fromHtml, ...closure([keyOf('features/query-editor/routes/query-page.tsx'), keyOf('features/query-editor/components/code-mirror-sql-editor.tsx')])]);
    const sent = new Map<string, { bytes: number; encoding: string }>();
    for (const file of new Set([...dashboard, ...editor])) sent.set(file, await transferred(base, file));
    const kb = (files: Iterable<string>) => [...files].reduce((sum, f) => sum + sent.get(f)!.bytes, 0) / 1024;
    const encodings = [...new Set([...sent.values()].map((s) => s.encoding))].join('/');
    const shared = [...dashboard].filter((f) => editor.has(f));
    const codeMirror = [...editor].filter((f) => f.includes('code-mirror'));
    const [dashKb, editorKb] = [kb(dashboard), kb(editor)];
    const unit = `KB sent (${encodings})`;
    report('initial JS of the overview (dashboard) route, as transferred', `${dashKb.toFixed(1)} ${unit}`, `with the editor route ${editorKb.toFixed(1)} ${unit}`, `${(dashKb / editorKb).toFixed(2)}×`);
    report('CodeMirror chunk, loaded only by the editor', `${kb(codeMirror).toFixed(1)} ${unit}`, `shared by both routes ${kb(shared).toFixed(1)} ${unit}`, codeMirror.some((f) => dashboard.has(f)) ? 'IN the dashboard (regression)' : 'not in the dashboard');
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}
