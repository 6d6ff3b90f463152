import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateDemoData } from '@access-monitor/audit-log';
import { PRIVILEGE_ACCESS_REPORT, type SecurityReport } from '@access-monitor/reports';
import type * as Reports from '@access-monitor/reports';
import { createFsObjectStore } from '@access-monitor/storage';
import { createExecutionLog } from '../executions/execution-log';
import { ScanBudgetExhausted } from '../executions/execution-errors';
import { scanBudgetKeys } from '../store-layout';
import { CliError } from './cli-error';
import { cliUser } from './cli-executions';
import { queryCommand } from './query-command';
import { reportCommand } from './report-command';

// In this process only (the spawned bin is unaffected): one extra report whose second query fails.
vi.mock('@access-monitor/reports', async (importOriginal) => {
  const actual = await importOriginal<typeof Reports>();
  const good = actual.PRIVILEGE_ACCESS_REPORT.queries.find((q) => q.id === 'session_start_root_user')!;
  const broken: SecurityReport = {
    ...actual.PRIVILEGE_ACCESS_REPORT,
    name: 'broken_report',
    queries: [good, { ...good, id: 'broken_query', detailSql: 'SELECT no_such_column FROM session_start' }, { ...good, id: 'chart_only', detailSql: null }],
  };
  return { ...actual, BUILT_IN_REPORTS: [...actual.BUILT_IN_REPORTS, broken], reportByName: (name: string) => (name === 'broken_report' ? broken : actual.reportByName(name)) };
});

const BIN = fileURLToPath(new URL('../../bin/access-monitor.js', import.meta.url));
let dir: string;
let data: string;

/** Collects what a command prints. */
function capture(): { out: Writable; text: () => string } {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { out, text: () => text };
}

/** A config over the demo events and its own empty report_results folder, with extra `limits` lines. */
async function configWith(name: string, limits = ''): Promise<{ config: string; state: string }> {
  const state = path.join(dir, `${name}-state`);
  await mkdir(state, { recursive: true });
  const config = path.join(dir, `${name}.yaml`);
  await writeFile(config, `access_monitoring:\n  report_results: file://${state}\naudit_events_uri: parquet://${data}\n${limits ? `limits:\n${limits}\n` : ''}`);
  return { config, state };
}

function cli(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: dir });
}

interface ReportJson {
  report: string;
  window: { start: string; end: string };
  queries: Array<{ id: string; title: string; severity: string; rowCount?: number; rows?: Record<string, unknown>[]; error?: string }>;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-report-cli-'));
  data = path.join(dir, 'events');
  await generateDemoData({ out: data, days: 10, events: 4000, seed: 5, end: '2026-03-10' });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('access-monitor report list', () => {
  it('lists both built-in reports with their number of queries, as text and JSON', () => {
    const text = cli('report', 'list');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^privilege_access_report\s+Privileged Access Report \(9 queries\)$/m);
    expect(text.stdout).toMatch(/^access_risk\s+.+\(\d+ queries\)$/m);
    const json = cli('report', 'list', '--format', 'json');
    expect(json.status).toBe(0);
    const reports = JSON.parse(json.stdout) as Array<{ name: string; title: string; queries: number }>;
    expect(reports.map((r) => r.name)).toEqual(['privilege_access_report', 'access_risk']);
    expect(reports[0]).toEqual({ name: 'privilege_access_report', title: 'Privileged Access Report', queries: 9 });
  });
});

describe('access-monitor report run', () => {
  it("runs Teleport's report as JSON with the same numbers as the query command", () => {
    const r = cli('report', 'run', 'privilege_access_report', '--data', data, '--days', '7', '--end', '2026-03-10', '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as ReportJson;
    expect(json.report).toBe('privilege_access_report');
    expect(json.window).toEqual({ start: '2026-03-04', end: '2026-03-10' });
    expect(json.queries.map((q) => q.id)).toEqual(PRIVILEGE_ACCESS_REPORT.queries.map((q) => q.id));
    expect(json.queries.map((q) => q.id)).toEqual([
      'database_sessions_with_weak_security',
      'kube_execs',
      'kube_access_with_weak_security',
      'ssh_sessions_with_weak_security',
      'cert_expiration_more_than_1d',
      'db_postgres_user',
      'instance_join_token_less_than_1d',
      'session_start_root_user',
      'kube_system_api_calls',
    ]);
    for (const q of json.queries) {
      expect(q.error).toBeUndefined();
      expect(q.rowCount).toBe(q.rows!.length);
    }
    const root = json.queries.find((q) => q.id === 'session_start_root_user')!;
    expect(root.rowCount).toBeGreaterThan(0);
    expect(root.severity).toBe(PRIVILEGE_ACCESS_REPORT.queries.find((q) => q.id === 'session_start_root_user')!.severity);
    const detailSql = PRIVILEGE_ACCESS_REPORT.queries.find((q) => q.id === 'session_start_root_user')!.detailSql!;
    const count = cli('query', '--data', data, '--days', '7', '--end', '2026-03-10', `SELECT count(*) AS n FROM (${detailSql})`);
    expect(count.stderr).toBe('');
    expect(count.stdout.trim().split(/\r?\n/)).toEqual(['n', String(root.rowCount)]);
  });

  it('prints one # section per query as CSV, for an explicit range', () => {
    const r = cli('report', 'run', 'privilege_access_report', '--data', data, '--start', '2026-03-01', '--end', '2026-03-10', '--format', 'csv');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\r\n');
    const headings = lines.filter((l) => l.startsWith('# '));
    expect(headings.map((l) => l.slice(2).split(' ')[0])).toEqual(PRIVILEGE_ACCESS_REPORT.queries.map((q) => q.id));
    const root = headings.find((l) => l.startsWith('# session_start_root_user '))!;
    expect(root).toMatch(/^# session_start_root_user \((low|medium|high|critical)\): .+ — \d+ rows$/);
    const at = lines.indexOf(root);
    const n = Number(/(\d+) rows$/.exec(root)![1]);
    expect(lines[at + 1]!.split(',')[0]).toBe('event_time');
    expect(lines.slice(at + 2, at + 2 + n).every((l) => /^2026-03-\d\d /.test(l))).toBe(true);
    expect(lines[at + 2 + n]).toBe('');
  });

  it("refuses windows other than Teleport's, and unknown reports, with exit 2", () => {
    const eight = cli('report', 'run', 'privilege_access_report', '--data', data, '--days', '8', '--end', '2026-03-10');
    expect(eight.status).toBe(2);
    expect(eight.stdout).toBe('');
    expect(eight.stderr).toContain('days must be one of 7, 30, 90, 120');
    const unknown = cli('report', 'run', 'no_such_report', '--data', data, '--days', '7');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no_such_report.*privilege_access_report, access_risk/);
    const wide = cli('report', 'run', 'privilege_access_report', '--data', data, '--start', '2025-01-01', '--end', '2026-03-10');
    expect(wide.status).toBe(2);
    expect(wide.stderr).toMatch(/at most 366/);
  });

  it('reports a failing query as an error, completes the others, and exits 1', async () => {
    const { out, text } = capture();
    const run = reportCommand(['run', 'broken_report', '--data', data, '--days', '7', '--end', '2026-03-10'], out);
    await expect(run).rejects.toThrow(CliError);
    await run.catch((e: CliError) => {
      expect(e.exitCode).toBe(1);
      expect(e.message).toMatch(/broken_query: .*no_such_column/);
    });
    const json = JSON.parse(text()) as ReportJson;
    expect(json.queries.map((q) => q.id)).toEqual(['session_start_root_user', 'broken_query', 'chart_only']);
    expect(json.queries[0]!.rowCount).toBeGreaterThan(0);
    expect(json.queries[1]).toEqual({ id: 'broken_query', title: json.queries[0]!.title, severity: json.queries[0]!.severity, error: expect.stringMatching(/no_such_column/) as unknown });
    // Without detail SQL the chart SQL runs: its counts add up to the detail row count.
    const chart = json.queries[2]!;
    expect(chart.rowCount).toBe(chart.rows!.length);
    expect(chart.rows!.reduce((sum, row) => sum + Number(row.count), 0)).toBe(json.queries[0]!.rowCount);
  });
});

describe('access-monitor report run --config, through the executions service', () => {
  it("records every query of the run in the config's execution log, under the report-run service for the CLI user", async () => {
    const { config, state } = await configWith('logged');
    const { out, text } = capture();
    await reportCommand(['run', 'privilege_access_report', '--config', config, '--days', '7', '--end', '2026-03-10'], out);
    const json = JSON.parse(text()) as ReportJson;
    expect(json.queries.every((q) => q.error === undefined)).toBe(true);
    const records = await createExecutionLog(createFsObjectStore(state)).list({ limit: 200 });
    const ofRun = records.filter((r) => r.origin === 'report-run');
    // Like a dashboard run: each finding's detail and chart SQL (and its previous-window SQL), plus completeness.
    expect(ofRun.length).toBeGreaterThanOrEqual(PRIVILEGE_ACCESS_REPORT.queries.length * 2 + 1);
    expect(new Set(ofRun.map((r) => r.user))).toEqual(new Set(['service:report-run']));
    expect(new Set(ofRun.map((r) => r.onBehalfOf))).toEqual(new Set([cliUser()]));
    expect(ofRun.map((r) => r.sql)).toContain(PRIVILEGE_ACCESS_REPORT.queries.find((q) => q.id === 'session_start_root_user')!.detailSql);
  });

  it('is refused by a spent scan budget like an interactive query, before any query starts', async () => {
    const { config, state } = await configWith('budget', '  scan_budget: { bytes: 1000, refill_after: 1h }');
    const store = createFsObjectStore(state);
    const hour = 3_600_000;
    const period = Math.floor(Date.now() / hour) * hour;
    // This period and the next, so the test holds across an hour boundary.
    for (const start of [period, period + hour]) await store.put(scanBudgetKeys.period(start), JSON.stringify({ usedBytes: 1000 }));
    const { out, text } = capture();
    const run = reportCommand(['run', 'privilege_access_report', '--config', config, '--days', '7', '--end', '2026-03-10'], out);
    await expect(run).rejects.toBeInstanceOf(ScanBudgetExhausted);
    await expect(run).rejects.toThrow(/limits\.scan_budget/);
    expect(text()).toBe('');
    expect(await createExecutionLog(store).list({ limit: 10 })).toEqual([]);
    // The interactive query is refused the same way.
    await expect(queryCommand(['--config', config, '--days', '7', '--end', '2026-03-10', 'SELECT count(*) AS n FROM audit_events'], capture().out)).rejects.toBeInstanceOf(ScanBudgetExhausted);
  });
});

