import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { createDuckDbEngine, type QueryEngine } from '@access-monitor/engine';
import { waitForExecution } from '../executions/run-to-completion';
import { CliError } from './cli-error';
import { csvLine } from './csv-out';
import { describeSqlError, WINDOW_OPTIONS, windowFromFlags } from './window-flags';

export const QUERY_USAGE = `access-monitor query --data DIR (--days N [--end YYYY-MM-DD] | --start YYYY-MM-DD --end YYYY-MM-DD) [--format csv|json] "SQL"`;

export async function queryCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { data: { type: 'string' }, ...WINDOW_OPTIONS, format: { type: 'string', default: 'csv' } },
  });
  if (!values.data || positionals.length !== 1) throw new CliError(`usage: ${QUERY_USAGE}`, 2);
  if (values.format !== 'csv' && values.format !== 'json') throw new CliError(`--format must be csv or json, got ${values.format}`, 2);
  const window = windowFromFlags(values);

  const resultsDir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-query-'));
  const engine = await createDuckDbEngine({ dataDir: path.resolve(values.data), resultsDir });
  try {
    const ref = await engine.start({ sql: positionals[0]!, window, token: randomUUID() }).catch((e: unknown) => {
      const sqlError = describeSqlError(e);
      throw sqlError ? new CliError(sqlError) : e;
    });
    const status = await waitForExecution(engine, ref.id, 24 * 3600_000);
    if (status.state !== 'SUCCEEDED') throw new CliError(`query ${status.state.toLowerCase()}: ${status.error?.message ?? 'no detail'}`);
    await printRows(engine, ref.id, values.format, out);
  } finally {
    await engine.close();
    await rm(resultsDir, { recursive: true, force: true });
  }
}

/** Streams the result page by page: CSV (header, then rows) or one JSON array of row objects. */
async function printRows(engine: QueryEngine, id: string, format: 'csv' | 'json', out: NodeJS.WritableStream): Promise<void> {
  let printed = 0;
  for (let offset = 0; ; ) {
    const page = await engine.page(id, offset, 5000);
    if (offset === 0) out.write(format === 'csv' ? csvLine(page.columns.map((c) => c.name)) : '[');
    for (const row of page.rows) {
      if (format === 'csv') out.write(csvLine(row));
      else out.write(`${printed === 0 ? '\n' : ',\n'}  ${JSON.stringify(Object.fromEntries(page.columns.map((c, j) => [c.name, row[j] ?? null])))}`);
      printed++;
    }
    offset += page.rows.length;
    if (page.rows.length === 0 || offset >= page.totalRows) break;
  }
  if (format === 'json') out.write(printed === 0 ? ']\n' : '\n]\n');
}
