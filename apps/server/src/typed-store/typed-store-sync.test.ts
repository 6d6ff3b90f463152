import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { generateDemoData } from '@access-monitor/audit-log';
import { createDuckDbEngine, type QueryEngine } from '@access-monitor/engine';
import { createLogger } from '../logger';
import { startTypedStoreSync } from './typed-store-sync';

let root: string;
let engine: QueryEngine;
const lines: string[] = [];
const logger = createLogger({ level: 'info', destination: new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(chunk.toString()), cb()) }) });

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'am-typed-sync-'));
  await generateDemoData({ out: path.join(root, 'events'), days: 5, events: 500, seed: 3, end: '2026-03-10' });
  engine = await createDuckDbEngine({ dataDir: path.join(root, 'events'), resultsDir: path.join(root, 'results'), typedDir: path.join(root, 'typed'), threads: 1 });
  lines.length = 0;
});

afterEach(async () => {
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

it('builds the typed store at start with progress in the log, and again when poked after new events', async () => {
  const sync = startTypedStoreSync(engine.typedStore!, { logger, intervalMs: 3_600_000 });
  await expect.poll(() => engine.typedStore!.status().daysCovered, { timeout: 60_000 }).toBe(5);
  await expect.poll(() => lines.join(''), { timeout: 10_000 }).toMatch(/typed event store: 5 of 5 days typed; built 5/);
  expect(lines.join('')).toMatch(/typed event store: built 5 of 5 days/);

  await generateDemoData({ out: path.join(root, 'events'), days: 2, events: 200, seed: 4, end: '2026-03-12' });
  sync.poke();
  await expect.poll(() => engine.typedStore!.status().daysCovered, { timeout: 60_000 }).toBe(7);
  await sync.stop();
});
