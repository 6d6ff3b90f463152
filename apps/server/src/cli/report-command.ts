import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ProblemTypes, windowDays, type Cell, type Problem, type ReportRun } from '@access-monitor/contracts';
import { createDuckDbEngine } from '@access-monitor/engine';
import { BUILT_IN_REPORTS, reportByName, type SecurityReport, type Severity } from '@access-monitor/reports';
import { createFsObjectStore } from '@access-monitor/storage';
import { createReportStoreFor } from '../aws/aws-for-config';
import { DEFAULT_LIMITS, loadConfigFile, type AppConfig } from '../config/load-config';
import { createEngineFor } from '../engine-for-config';
import { NotFound } from '../domain-errors';
import { createReportCatalog } from '../reports/report-catalog';
import { createRunResults, type RunResults } from '../reports/run-results';
import { recordRun } from '../reports/run-record';
import { newRunId, runReport } from '../reports/run-report';
import { CliError } from './cli-error';
import { cliExecutions, cliUser } from './cli-executions';
import { csvLine } from './csv-out';
import { WINDOW_OPTIONS, windowFromFlags } from './window-flags';
import { exportReport, importResources, REPORT_EXPORT_USAGE, REPORT_IMPORT_USAGE } from './report-resources-command';

export const REPORT_USAGE = `access-monitor report list [--format text|json] | report run NAME (--data DIR | --config FILE) (--days 7|30|90|120 [--end YYYY-MM-DD] | --start YYYY-MM-DD --end YYYY-MM-DD) [--format json|csv [--raw]] | ${REPORT_EXPORT_USAGE.replace('access-monitor ', '')} | ${REPORT_IMPORT_USAGE.replace('access-monitor ', '')}`;

/** Rows read back per page of a finding's stored CSV. */
const PAGE_ROWS = 5000;

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
  if (sub === 'run') return runReportCommand(rest, out);
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

async function runReportCommand(argv: string[], out: NodeJS.WritableStream): Promise<void> {
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
      // Refused before it starts when the scan budget is spent, like a report refresh in the dashboard.
      await executions.scanBudget?.ensureLeft();
      // The server's report runner: its queries are recorded and limited like the dashboard's; the run and
      // its CSVs stay in the throw-away folder (a CLI run is no report-window run of the shared store).
      const runStore = createFsObjectStore(path.join(resultsDir, 'report-run'));
      const now = new Date();
      const run = await runReport(
        { executions, store: runStore, logger: pino({ level: 'silent' }), queryTimeoutMs: (config?.limits ?? DEFAULT_LIMITS).queryTimeoutMs, now: () => new Date() },
        report,
        { id: newRunId(now), days: windowDays(window), window, startedAt: now.toISOString(), startedBy: cliUser() },
      );
      await recordRun(runStore, run);
      outcomes = await outcomesOf(createRunResults(runStore), run);
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

/** Each query of a run as the CLI prints it: its rows, read back from the run as the run permalink reads them, or its error. */
async function outcomesOf(results: RunResults, run: ReportRun): Promise<QueryOutcome[]> {
  return Promise.all(
    run.queries.map(async (q): Promise<QueryOutcome> => {
      const base = { id: q.id, title: q.title, severity: q.severity };
      if (q.state !== 'SUCCEEDED') return { ...base, error: describeProblem(q.error) };
      const rows: Record<string, Cell>[] = [];
      let columns = (q.columns ?? []).map((c) => c.name);
      for (let offset = 0; offset < (q.rowCount ?? 0); ) {
        const page = await results.page(run.id, q.id, offset, PAGE_ROWS);
        columns = page.columns.map((c) => c.name);
        for (const r of page.rows) rows.push(Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null])));
        offset += page.rows.length;
        if (page.rows.length === 0) break;
      }
      return { ...base, columns, rows };
    }),
  );
}

/** "rejected: …" / "invalid SQL: … (line L, column C)" for the guard's refusals, else the problem's detail. */
function describeProblem(p: Problem | undefined): string {
  if (!p) return 'no detail';
  const at = p.position ? ` (line ${p.position.line}, column ${p.position.column})` : '';
  if (p.type === ProblemTypes.sqlRejected) return `rejected: ${p.detail}${at}`;
  if (p.type === ProblemTypes.sqlInvalid) return `invalid SQL: ${p.detail}${at}`;
  return p.detail ?? p.title;
}
