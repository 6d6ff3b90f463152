import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { utcToday } from '@access-monitor/contracts';
import { generateDemoData, importAuditLog } from '@access-monitor/audit-log';
import { loadConfigFile, type AppConfig } from '../config/load-config';
import { createEngineFor } from '../engine-for-config';
import { CliError } from './cli-error';

export const DEMO_DATA_USAGE = 'access-monitor demo-data --out DIR [--days 90] [--events N] [--seed S] [--end YYYY-MM-DD]';
export const IMPORT_USAGE = `access-monitor import (--out DIR | --config FILE) FILE_OR_FOLDER...
  --config FILE imports into the config's parquet:// folder and then builds the typed event store for what arrived
  (with --out only, a running server builds it within a minute)`;

function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} must be a positive whole number, got ${value}`, 2);
  return n;
}

export async function demoDataCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: 'string' }, days: { type: 'string' }, events: { type: 'string' }, seed: { type: 'string' }, end: { type: 'string' } },
  });
  if (!values.out) throw new CliError(`usage: ${DEMO_DATA_USAGE}`, 2);
  if (values.end !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.end)) throw new CliError(`--end must be a date as YYYY-MM-DD, got ${values.end}`, 2);
  const days = positiveInt('--days', values.days, 90);
  if (days > 3660) throw new CliError('--days must be at most 3660', 2);
  const events = positiveInt('--events', values.events, 500_000);
  const seed = positiveInt('--seed', values.seed, 1);
  const end = values.end ?? utcToday(new Date());
  const started = Date.now();
  const result = await generateDemoData({
    out: path.resolve(values.out),
    days,
    events,
    seed,
    end,
    onProgress: progressPrinter('generating events'),
  });
  process.stderr.write('\n');
  const secs = (Date.now() - started) / 1000;
  console.log(`wrote ${result.events} events in ${result.files} Parquet files over ${result.days} days ending ${end} to ${path.resolve(values.out)} (${secs.toFixed(1)} s)`);
}

export async function importCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, config: { type: 'string' } } });
  if (!values.out === !values.config || positionals.length === 0) throw new CliError(`usage: ${IMPORT_USAGE}`, 2);
  const config = values.config ? await loadConfigFile(path.resolve(values.config)) : undefined;
  if (config && config.auditEvents.kind !== 'parquet') throw new CliError(`${values.config}: audit_events_uri is not parquet://; import writes Teleport's Parquet layout for the embedded engine`, 2);
  const out = config?.auditEvents.kind === 'parquet' ? config.auditEvents.dir : path.resolve(values.out!);
  const report = await importAuditLog({
    out,
    inputs: positionals.map((p) => path.resolve(p)),
    onRejected: (r) => process.stderr.write(`${r.file}:${r.line}: ${r.reason}\n`),
  });
  console.log(`read ${report.linesRead} lines: imported ${report.imported}, already present ${report.duplicates}, rejected ${report.rejected.length}`);
  if (config) await buildTypedStore(config);
  if (report.rejected.length > 0) throw new CliError(`${report.rejected.length} line(s) were rejected (listed above); the other lines were imported`, 3);
}

/** Builds the typed event store for what the Parquet folder has and it does not, as the server would. */
async function buildTypedStore(config: AppConfig): Promise<void> {
  const resultsDir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-import-'));
  const engine = await createEngineFor(config, resultsDir);
  try {
    const printer = progressPrinter('building the typed event store');
    const built = await engine.typedStore!.sync((p) => printer(p.daysDone, p.daysTotal));
    if (built.daysBuilt > 0 && process.stderr.isTTY) process.stderr.write('\n');
    const { daysCovered, daysTotal, lastError } = engine.typedStore!.status();
    console.log(`typed event store: ${daysCovered} of ${daysTotal} days typed (built ${built.daysBuilt} in ${(built.elapsedMs / 1000).toFixed(1)} s)`);
    if (lastError) process.stderr.write(`typed event store: ${lastError}; that day is read by JSON extraction\n`);
  } finally {
    await engine.close();
    await rm(resultsDir, { recursive: true, force: true });
  }
}

function progressPrinter(label: string): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (now - last < 250 && done < total) return;
    last = now;
    if (process.stderr.isTTY) process.stderr.write(`\r${label}: ${Math.min(100, Math.round((100 * done) / Math.max(total, 1)))}% (${done}/${total})`);
  };
}
