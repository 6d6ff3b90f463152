import path from 'node:path';
import { parseArgs } from 'node:util';
import { utcToday } from '@access-monitor/contracts';
import { generateDemoData, importAuditLog } from '@access-monitor/audit-log';
import { CliError } from './cli-error';

export const DEMO_DATA_USAGE = 'access-monitor demo-data --out DIR [--days 90] [--events N] [--seed S] [--end YYYY-MM-DD]';
export const IMPORT_USAGE = 'access-monitor import --out DIR FILE_OR_FOLDER...';

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
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' } } });
  if (!values.out || positionals.length === 0) throw new CliError(`usage: ${IMPORT_USAGE}`, 2);
  const report = await importAuditLog({
    out: path.resolve(values.out),
    inputs: positionals.map((p) => path.resolve(p)),
    onRejected: (r) => process.stderr.write(`${r.file}:${r.line}: ${r.reason}\n`),
  });
  console.log(`read ${report.linesRead} lines: imported ${report.imported}, already present ${report.duplicates}, rejected ${report.rejected.length}`);
  if (report.rejected.length > 0) throw new CliError(`${report.rejected.length} line(s) were rejected (listed above); the other lines were imported`, 3);
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
