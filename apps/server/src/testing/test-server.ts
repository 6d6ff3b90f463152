import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateDemoData } from '@access-monitor/audit-log';
import { createDuckDbEngine, type QueryEngine } from '@access-monitor/engine';
import { createApp } from '../app';
import { embeddedConfig } from '../config/load-config';
import { createLogger } from '../logger';

export const FIXTURE_END = '2026-01-14';

export interface TestServer {
  url: string;
  dataDir: string;
  engine: QueryEngine;
  logs: string[];
  /** Counts rows straight from the Parquet files with raw DuckDB, bypassing the product. */
  rawCount(eventType: string, start: string, end: string): Promise<number>;
  close(): Promise<void>;
}

/** The real app on an ephemeral port over a small deterministic dataset. */
export async function startTestServer(opts: { days?: number; events?: number } = {}): Promise<TestServer> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-server-'));
  const dataDir = path.join(root, 'events');
  await generateDemoData({ out: dataDir, days: opts.days ?? 14, events: opts.events ?? 4000, seed: 7, end: FIXTURE_END });
  const config = embeddedConfig({ eventsDir: dataDir, resultsDir: path.join(root, 'report_results'), port: 0 });
  const engine = await createDuckDbEngine({ dataDir, resultsDir: path.join(root, 'report_results', 'query-results') });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const app = createApp({ config, engine, logger: createLogger({ level: 'info', destination }), clock: () => new Date(`${FIXTURE_END}T12:00:00Z`) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const raw = await DuckDBInstance.create(':memory:');
  const rawConn = await raw.connect();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dataDir,
    engine,
    logs,
    async rawCount(eventType, start, end) {
      const r = await rawConn.runAndReadAll(
        `SELECT count(*)::INTEGER AS n FROM read_parquet($glob) WHERE event_type = $t AND CAST(event_time AS DATE) BETWEEN CAST($s AS DATE) AND CAST($e AS DATE)`,
        { glob: path.join(dataDir, '*', '*.parquet'), t: eventType, s: start, e: end },
      );
      return Number(r.getRowObjects()[0]!.n);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rawConn.closeSync();
      await engine.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
