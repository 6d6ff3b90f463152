import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { createDuckDbEngine, type QueryEngine } from '@access-monitor/engine';
import { createFsObjectStore } from '@access-monitor/storage';
import { loadConfigFile, type AppConfig } from '../config/load-config';
import { createEngineFor } from '../engine-for-config';
import { NotFound } from '../domain-errors';
import { createSavedQueries } from '../queries/saved-queries';
import { CliError } from './cli-error';
import { cliCaller, cliExecutions } from './cli-executions';
import { csvLine } from './csv-out';
import { describeSqlError, WINDOW_OPTIONS, windowFromFlags } from './window-flags';

export const QUERY_USAGE = `access-monitor query (--data DIR | --config FILE) [--days N [--end YYYY-MM-DD] | --start YYYY-MM-DD --end YYYY-MM-DD] [--format csv|json] [--raw] [--engine-path typed|json] ("SQL" | --saved NAME)
  --saved NAME runs a saved audit query from the report_results store the config names, over its own window unless --days or --start is given
  --engine-path json reads the event views by JSON extraction only; typed (the default) reads the typed event store where the server built it, and says on stderr which it used
  --raw keeps CSV cells exactly as they are (by default a cell that would start a spreadsheet formula is prefixed with ')`;

export async function queryCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      config: { type: 'string' },
      saved: { type: 'string' },
      ...WINDOW_OPTIONS,
      format: { type: 'string', default: 'csv' },
      raw: { type: 'boolean', default: false },
      'engine-path': { type: 'string', default: 'typed' },
    },
  });
  const enginePath = values['engine-path'];
  if (enginePath !== 'typed' && enginePath !== 'json') throw new CliError(`--engine-path must be typed or json, got ${enginePath}`, 2);
  if (!values.data === !values.config) throw new CliError(`give either --data DIR or --config FILE\nusage: ${QUERY_USAGE}`, 2);
  if ((values.saved === undefined) === (positionals.length !== 1) || positionals.length > 1) throw new CliError(`give either one SQL statement or --saved NAME\nusage: ${QUERY_USAGE}`, 2);
  if (values.saved !== undefined && !values.config) throw new CliError('--saved needs --config FILE: saved queries live in the report_results store it names', 2);
  if (values.format !== 'csv' && values.format !== 'json') throw new CliError(`--format must be csv or json, got ${values.format}`, 2);

  const config = values.config ? await loadConfigFile(path.resolve(values.config)) : undefined;
  const saved = values.saved !== undefined && config ? await savedQuery(config, values.saved) : undefined;
  // A saved query runs over its own window unless the command line gives one (--end alone moves its last day).
  const flags = saved && values.days === undefined && values.start === undefined ? { ...values, days: String(saved.days) } : values;
  if (flags.days === undefined && flags.start === undefined) throw new CliError(`give --days N or --start D --end D\nusage: ${QUERY_USAGE}`, 2);
  const window = windowFromFlags(flags);
  const sql = saved?.sql ?? positionals[0]!;

  const resultsDir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-query-'));
  const engine = config ? await createEngineFor(config, resultsDir) : await createDuckDbEngine({ dataDir: path.resolve(values.data!), resultsDir });
  try {
    const executions = cliExecutions(engine, config, resultsDir);
    const { status: started } = await executions.start(cliCaller(), { sql, window, intent: [randomUUID()], query: saved?.name, enginePath }).catch((e: unknown) => {
      const sqlError = describeSqlError(e);
      throw sqlError ? new CliError(sqlError) : e;
    });
    const status = await executions.waitFor(started.id);
    if (status.state !== 'SUCCEEDED') throw new CliError(`query ${status.state.toLowerCase()}: ${status.error?.message ?? 'no detail'}`);
    // Only where a typed store exists to compare with (a --config naming a parquet:// folder).
    if (status.enginePath && engine.typedStore) process.stderr.write(`${describeEnginePath(status.enginePath)}\n`);
    await printRows(engine, started.id, values.format, out, { raw: values.raw });
  } finally {
    await engine.close();
    await rm(resultsDir, { recursive: true, force: true });
  }
}

/** Which path the embedded engine read the views by, for people comparing the two. */
export function describeEnginePath(p: { typedDays: number; jsonDays: number }): string {
  if (p.typedDays + p.jsonDays === 0) return 'engine path: no source data in the window';
  if (p.jsonDays === 0) return `engine path: typed event store (${p.typedDays} days)`;
  if (p.typedDays === 0) return `engine path: JSON extraction (${p.jsonDays} days)`;
  return `engine path: typed event store for ${p.typedDays} days, JSON extraction for ${p.jsonDays}`;
}

/** The latest revision of a saved query, read from the config's report_results store as the server reads it. */
async function savedQuery(config: AppConfig, name: string) {
  if (config.reportResults.kind !== 'file') throw new CliError(`${config.file ?? 'config'}: access_monitoring.report_results: only file:// stores can be read by this build`);
  try {
    return await createSavedQueries(createFsObjectStore(config.reportResults.dir)).get(name);
  } catch (e) {
    if (e instanceof NotFound) throw new CliError(`no saved query named ${name} in ${config.reportResults.dir}`);
    throw e;
  }
}

/** Streams the result page by page: CSV (header, then rows; spreadsheet-safe unless raw) or one JSON array of row objects. */
async function printRows(engine: QueryEngine, id: string, format: 'csv' | 'json', out: NodeJS.WritableStream, csv: { raw: boolean }): Promise<void> {
  let printed = 0;
  for (let offset = 0; ; ) {
    const page = await engine.page(id, offset, 5000);
    if (offset === 0) out.write(format === 'csv' ? csvLine(page.columns.map((c) => c.name), csv) : '[');
    for (const row of page.rows) {
      if (format === 'csv') out.write(csvLine(row, csv));
      else out.write(`${printed === 0 ? '\n' : ',\n'}  ${JSON.stringify(Object.fromEntries(page.columns.map((c, j) => [c.name, row[j] ?? null])))}`);
      printed++;
    }
    offset += page.rows.length;
    if (page.rows.length === 0 || offset >= page.totalRows) break;
  }
  if (format === 'json') out.write(printed === 0 ? ']\n' : '\n]\n');
}
