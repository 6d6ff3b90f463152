import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { createDuckDbEngine } from '@access-monitor/engine';
import { SqlInvalid, SqlRejected } from '@access-monitor/sql';
import { resolveWindow } from '../executions/resolve-window';
import { waitForExecution } from '../executions/run-to-completion';
import { CliError } from './cli-error';
import { csvLine } from './csv-out';

export const QUERY_USAGE = `access-monitor query --data DIR (--days N [--end YYYY-MM-DD] | --start YYYY-MM-DD --end YYYY-MM-DD) [--format csv|json] "SQL"`;

export async function queryCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { data: { type: 'string' }, days: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' }, format: { type: 'string', default: 'csv' } },
  });
  if (!values.data || positionals.length !== 1) throw new CliError(`usage: ${QUERY_USAGE}`, 2);
  if (values.format !== 'csv' && values.format !== 'json') throw new CliError(`--format must be csv or json, got ${values.format}`, 2);
  if ((values.days === undefined) === (values.start === undefined)) throw new CliError('give either --days N or --start D --end D', 2);
  if (values.start !== undefined && values.end === undefined) throw new CliError('--start needs --end', 2);
  for (const [flag, value] of [['--start', values.start], ['--end', values.end]] as const) {
    if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new CliError(`${flag} must be a date as YYYY-MM-DD, got ${value}`, 2);
  }
  const days = values.days === undefined ? undefined : Number(values.days);
  if (days !== undefined && (!Number.isInteger(days) || days < 1)) throw new CliError(`--days must be a positive whole number, got ${values.days}`, 2);
  const window = resolveWindow(days !== undefined ? { days, end: values.end } : { start: values.start!, end: values.end! }, new Date());

  const resultsDir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-query-'));
  const engine = await createDuckDbEngine({ dataDir: path.resolve(values.data), resultsDir });
  try {
    let ref;
    try {
      ref = await engine.start({ sql: positionals[0]!, window, token: randomUUID() });
    } catch (e) {
      if (e instanceof SqlRejected || e instanceof SqlInvalid) {
        const at = e.position ? ` (line ${e.position.line}, column ${e.position.column})` : '';
        throw new CliError(`${e instanceof SqlRejected ? 'rejected' : 'invalid SQL'}: ${e.message}${at}`);
      }
      throw e;
    }
    const status = await waitForExecution(engine, ref.id, 24 * 3600_000);
    if (status.state !== 'SUCCEEDED') throw new CliError(`query ${status.state.toLowerCase()}: ${status.error?.message ?? 'no detail'}`);
    await printRows(engine, ref.id, values.format, out);
  } finally {
    await engine.close();
    await rm(resultsDir, { recursive: true, force: true });
  }
}

async function printRows(engine: Awaited<ReturnType<typeof createDuckDbEngine>>, id: string, format: 'csv' | 'json', out: NodeJS.WritableStream): Promise<void> {
  let first = true;
  for (let offset = 0; ; ) {
    const page = await engine.page(id, offset, 5000);
    if (first) {
      out.write(format === 'csv' ? csvLine(page.columns.map((c) => c.name)) : '[');
    }
    const chunk = page.rows
      .map((row, i) => {
        if (format === 'csv') return csvLine(row);
        const obj = Object.fromEntries(page.columns.map((c, j) => [c.name, row[j] ?? null]));
        return `${first && i === 0 ? '\n' : ',\n'}  ${JSON.stringify(obj)}`;
      })
      .join('');
    if (chunk) out.write(chunk);
    first = first && page.rows.length === 0 ? first : false;
    offset += page.rows.length;
    if (page.rows.length === 0 || offset >= page.totalRows) break;
  }
  if (format === 'json') out.write(first ? ']\n' : '\n]\n');
}
