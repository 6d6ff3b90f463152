import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Cell, DateWindow } from '@access-monitor/contracts';
import { createDuckDbEngine } from '@access-monitor/engine';
import { BUILT_IN_REPORTS, reportByName, type AuditQueryDefinition, type SecurityReport, type Severity } from '@access-monitor/reports';
import { createReportStoreFor } from '../aws/aws-for-config';
import { loadConfigFile, type AppConfig } from '../config/load-config';
import { createEngineFor } from '../engine-for-config';
import { NotFound } from '../http/errors';
import { createReportCatalog } from '../reports/report-catalog';
import { serviceCaller, type Executions } from '../executions/executions-service';
import { CliError } from './cli-error';
import { cliExecutions, cliUser } from './cli-executions';
import { csvLine } from './csv-out';
import { describeSqlError, WINDOW_OPTIONS, windowFromFlags } from './window-flags';
import { exportReport, importResources, REPORT_EXPORT_USAGE, REPORT_IMPORT_USAGE } from './report-resources-command';
import { mapBounded } from '../reports/map-bounded';

export const REPORT_USAGE = `access-monitor report list [--format text|json] | report run NAME (--data DIR | --config FILE) (--days 7|30|90|120 [--end YYYY-MM-DD] | --start YYYY-MM-DD --end YYYY-MM-DD) [--format json|csv [--raw]] | ${REPORT_EXPORT_USAGE.replace('access-monitor ', '')} | ${REPORT_IMPORT_USAGE.replace('access-monitor ', '')}`;

/** Teleport runs at most this many of a report's queries at once. */
const MAX_PARALLEL = 4;

interface QueryOutcome {
  id: string;
  title: string;
  severity: Severity;
  columns?: string[];
  rows?: Record<string, Cell>[];
  error?: string;
}

export async function reportCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === 'list') return listReports(rest, out);
  if (sub === 'run') return runReport(rest, out);
  if (sub === 'export') return exportReport(rest, out);
  if (sub === 'import') return importResources(rest, out);
  throw new CliError(`usage: ${REPORT_USAGE}`, 2);
}

function listReports(argv: string[], out: NodeJS.WritableStream): void {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { format: { type: 'string', default: 'text' } } });
  if (positionals.length > 0) throw new CliError(`usage: ${REPORT_USAGE}`, 2);
  if (values.format !== 'text' && values.format !== 'json') throw new CliError(`--format must be text or json, got ${values.format}`, 2);
  const reports = BUILT_IN_REPORTS.map((r) => ({ name: r.name, title: r.title, queries: r.queries.length }));
  if (values.format === 'json') {
    out.write(`${JSON.stringify(reports, null, 2)}\n`);
    return;
  }
  const width = Math.max(...reports.map((r) => r.name.length));
  for (const r of reports) out.write(`${r.name.padEnd(width)}  ${r.title} (${r.queries} ${r.queries === 1 ? 'query' : 'queries'})\n`);
}

async function runReport(argv: string[], out: NodeJS.WritableStream): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { data: { type: 'string' }, config: { type: 'string' }, ...WINDOW_OPTIONS, format: { type: 'string', default: 'json' }, raw: { type: 'boolean', default: false } },
  });
  if (!values.data === !values.config || positionals.length !== 1) throw new CliError(`usage: ${REPORT_USAGE}`, 2);
  if (values.format !== 'csv' && values.format !== 'json') throw new CliError(`--format must be json or csv, got ${values.format}`, 2);
  const config = values.config ? await loadConfigFile(path.resolve(values.config)) : undefined;
  // With a config, reports imported into its store run too, through whichever engine it names.
  const report = config ? await reportFromStore(config, positionals[0]!) : reportByName(positionals[0]!);
  if (!report) throw new CliError(`unknown report ${positionals[0]}; available reports: ${BUILT_IN_REPORTS.map((r) => r.name).join(', ')}`, 2);
  const window = windowFromFlags(values, { reportWindows: true });

  const resultsDir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-report-'));
  let outcomes: QueryOutcome[];
  try {
    const engine = config ? await createEngineFor(config, resultsDir) : await createDuckDbEngine({ dataDir: path.resolve(values.data!), resultsDir });
    try {
      const executions = cliExecutions(engine, config, resultsDir);
      const runId = randomUUID();
      outcomes = await mapBounded(report.queries, MAX_PARALLEL, (q) => runQuery(executions, runId, q, window));
    } finally {
      await engine.close();
    }
  } finally {
    await rm(resultsDir, { recursive: true, force: true });
  }

  if (values.format === 'json') {
    const queries = outcomes.map((o) =>
      o.error !== undefined ? { id: o.id, title: o.title, severity: o.severity, error: o.error } : { id: o.id, title: o.title, severity: o.severity, rowCount: o.rows!.length, rows: o.rows! },
    );
    out.write(`${JSON.stringify({ report: report.name, window, queries }, null, 2)}\n`);
  } else {
    writeCsv(outcomes, out, { raw: values.raw });
  }
  const failed = outcomes.filter((o) => o.error !== undefined);
  if (failed.length > 0) throw new CliError(`${failed.length} of ${outcomes.length} queries failed: ${failed.map((o) => `${o.id}: ${o.error}`).join('; ')}`, 1);
}

/** One section per query: `# id (severity): title — N rows`, then a header and the rows (spreadsheet-safe unless raw); a blank line between sections. */
function writeCsv(outcomes: QueryOutcome[], out: NodeJS.WritableStream, csv: { raw: boolean }): void {
  outcomes.forEach((o, i) => {
    if (i > 0) out.write('\r\n');
    if (o.error !== undefined) {
      out.write(`# ${o.id} (${o.severity}): ${o.title} — error: ${o.error.replaceAll(/\r?\n/g, ' ')}\r\n`);
      return;
    }
    const rows = o.rows!;
    out.write(`# ${o.id} (${o.severity}): ${o.title} — ${rows.length} rows\r\n`);
    const columns = o.columns!;
    out.write(csvLine(columns, csv));
    for (const row of rows) out.write(csvLine(columns.map((c) => row[c] ?? null), csv));
  });
}

async function reportFromStore(config: AppConfig, name: string): Promise<SecurityReport | undefined> {
  try {
    return await createReportCatalog(createReportStoreFor(config)).get(name);
  } catch (e) {
    if (e instanceof NotFound) return undefined;
    throw e;
  }
}

async function runQuery(executions: Executions, runId: string, q: AuditQueryDefinition, window: DateWindow): Promise<QueryOutcome> {
  const base = { id: q.id, title: q.title, severity: q.severity };
  try {
    const caller = serviceCaller('report-run', cliUser());
    const { columns, rows } = await executions.runToCompletion(caller, { sql: q.detailSql ?? q.chartSql, window, intent: [runId, q.id] });
    return { ...base, columns: columns.map((c) => c.name), rows };
  } catch (e) {
    return { ...base, error: describeSqlError(e) ?? (e instanceof Error ? e.message : String(e)) };
  }
}
