import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { ProblemTypes, ReportRun, ReportRunList, ReportRunStarted, ReportSummary, ResultsPage, windowDates, type ReportWindowState, type WindowDays } from '@access-monitor/contracts';
import { BUILT_IN_REPORTS, PRIVILEGE_ACCESS_REPORT, findingQuery, type SecurityReport } from '@access-monitor/reports';
import { createFsObjectStore, type ObjectStore, type PutOptions } from '@access-monitor/storage';
import { reportCommand } from '../cli/report-command';
import { embeddedConfig } from '../config/load-config';
import { FIXTURE_END, startTestServer, type TestServer, type TestUser } from '../testing/test-server';
import { createReportCatalog } from './report-catalog';
import { reportKeys } from '../store-layout';
import { createReportServices } from './report-services';
import { createReportStates } from './report-states';
import { newRunId, runReport } from './run-report';
import { expectProblem } from '../testing/expect-problem';

let t: TestServer;
/** The test server's clock: stands still unless a test moves it. */
let clockMs = Date.parse(`${FIXTURE_END}T12:00:00.000Z`);
beforeAll(async () => {
  t = await startTestServer({ clock: () => new Date(clockMs) });
});
afterAll(async () => {
  await t?.close();
});

const NOW = `${FIXTURE_END}T12:00:00.000Z`; // the test server's clock

const post = (pathname: string, body: unknown, who: TestUser = 'auditor') =>
  t.fetchAs(who, pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function startRun(report: string, days: WindowDays): Promise<ReportRunStarted> {
  const res = await post(`/api/v1/reports/${report}/runs`, { days });
  expect(res.status).toBe(202);
  return ReportRunStarted.parse(await res.json());
}

/** Polls the report until the window's state is no longer RUNNING. */
async function settledState(report: string, days: WindowDays): Promise<ReportWindowState> {
  for (;;) {
    const summary = ReportSummary.parse(await (await t.fetchAs('auditor', `/api/v1/reports/${report}`)).json());
    const state = summary.states.find((s) => s.days === days)!;
    if (state.state !== 'RUNNING') return state;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function getRun(runId: string): Promise<ReportRun> {
  const res = await t.fetchAs('auditor', `/api/v1/runs/${runId}`);
  expect(res.status).toBe(200);
  return ReportRun.parse(await res.json());
}

async function allRows(runId: string, queryId: string): Promise<ResultsPage> {
  const res = await t.fetchAs('auditor', `/api/v1/runs/${runId}/queries/${queryId}/rows?offset=0&limit=10000`);
  expect(res.status).toBe(200);
  return ResultsPage.parse(await res.json());
}

describe('report runs', () => {
  let weekRun: ReportRun;

  it('runs the privilege access report: RUNNING, then READY with an immutable run of every query', async () => {
    const started = await startRun('privilege_access_report', 7);
    expect(started.joined).toBe(false);
    expect(started.state).toMatchObject({ report: 'privilege_access_report', days: 7, state: 'RUNNING', runId: started.runId, progress: { done: 0, total: 9 } });

    const state = await settledState('privilege_access_report', 7);
    expect(state).toMatchObject({ state: 'READY', runId: started.runId, lastReadyRunId: started.runId });
    expect(state.finishedAt).toBeDefined();
    expect(state.progress).toBeUndefined();

    weekRun = await getRun(started.runId);
    expect(weekRun).toMatchObject({ id: started.runId, report: 'privilege_access_report', days: 7, window: { start: '2026-01-08', end: FIXTURE_END }, engine: 'duckdb', state: 'SUCCEEDED', startedBy: 'auditor' });
    expect(weekRun.queries.map((q) => q.id)).toEqual(PRIVILEGE_ACCESS_REPORT.queries.map((q) => q.id));
    for (const q of weekRun.queries) {
      expect(q.state, q.id).toBe('SUCCEEDED');
      expect(q.sha256, q.id).toMatch(/^[0-9a-f]{64}$/);
      const page = await allRows(weekRun.id, q.id);
      // rowCount is the number of detail rows, and the chart counts exactly those rows.
      expect(page.totalRows, q.id).toBe(q.rowCount);
      expect(page.rows, q.id).toHaveLength(q.rowCount!);
      expect(q.chart!.reduce((n, p) => n + p.count, 0), q.id).toBe(q.rowCount);
    }
    expect(weekRun.queries.some((q) => q.rowCount! > 0)).toBe(true);
  });


  it("lists the findings in the report's order when they started longest first", async () => {
    // As a later run does: the last run's costs reverse the order the findings start in.
    const lastCostMs = new Map(PRIVILEGE_ACCESS_REPORT.queries.map((q, i) => [q.id, i]));
    const plan = { id: newRunId(new Date()), days: 7, window: weekRun.window, startedAt: new Date().toISOString(), lastCostMs };
    const run = await runReport({ executions: t.executions, store: t.store, logger: pino({ level: 'silent' }), queryTimeoutMs: 60_000, now: () => new Date() }, PRIVILEGE_ACCESS_REPORT, plan);
    expect(run.queries.map((q) => q.id)).toEqual(PRIVILEGE_ACCESS_REPORT.queries.map((q) => q.id));
    expect(run.queries.map((q) => q.rowCount)).toEqual(weekRun.queries.map((q) => q.rowCount));
  });
  it('counts the same detail rows as `access-monitor report run` over the same data', async () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, cb) {
        out += String(chunk);
        cb();
      },
    });
    await reportCommand(['run', 'privilege_access_report', '--data', t.dataDir, '--days', '7', '--end', FIXTURE_END, '--format', 'json'], sink);
    const cli = JSON.parse(out) as { window: unknown; queries: Array<{ id: string; rowCount: number }> };
    expect(cli.window).toEqual(weekRun.window);
    expect(Object.fromEntries(weekRun.queries.map((q) => [q.id, q.rowCount]))).toEqual(Object.fromEntries(cli.queries.map((q) => [q.id, q.rowCount])));
  });

  it('serves pages of a finding in order, and its CSV named after the report, query and window', async () => {
    const q = [...weekRun.queries].sort((a, b) => b.rowCount! - a.rowCount!)[0]!;
    expect(q.rowCount).toBeGreaterThan(3);
    const all = await allRows(weekRun.id, q.id);
    const second = ResultsPage.parse(await (await t.fetchAs('auditor', `/api/v1/runs/${weekRun.id}/queries/${q.id}/rows?offset=2&limit=2`)).json());
    expect(second).toEqual({ columns: all.columns, rows: all.rows.slice(2, 4), offset: 2, totalRows: all.totalRows });
    expect(all.columns[0]!.name).toBe('event_time');

    const csv = await t.fetchAs('auditor', `/api/v1/runs/${weekRun.id}/queries/${q.id}/rows.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="?privilege_access_report-${q.id}-2026-01-08_${FIXTURE_END}\\.csv"?$`));
    const lines = (await csv.text()).trimEnd().split('\n');
    expect(lines).toHaveLength(q.rowCount! + 1);
    expect(lines[0]).toMatch(/^"event_time",/);
  });

  it('records which days of the window had data and which had none', async () => {
    // The demo data covers the 14 days up to FIXTURE_END: a 30-day window misses its first 16 days.
    const started = await startRun('privilege_access_report', 30);
    expect((await settledState('privilege_access_report', 30)).state).toBe('READY');
    const run = await getRun(started.runId);
    expect(run.window).toEqual({ start: '2025-12-16', end: FIXTURE_END });
    expect(run.completeness.missingDays).toEqual(windowDates({ start: '2025-12-16', end: '2025-12-31' }));
    expect(run.completeness.daysWithData.map((d) => d.date)).toEqual(windowDates({ start: '2026-01-01', end: FIXTURE_END }));
    expect(run.completeness.daysWithData.every((d) => d.events > 0)).toBe(true);
  });

  it('joins concurrent requests for the same report and window into one run', async () => {
    const [a, b, c] = await Promise.all([startRun('access_risk', 7), startRun('access_risk', 7), startRun('access_risk', 7)]);
    expect(new Set([a.runId, b.runId, c.runId]).size).toBe(1);
    expect([a, b, c].filter((s) => !s.joined)).toHaveLength(1);
    expect((await settledState('access_risk', 7)).state).toBe('READY');
    const list = ReportRunList.parse(await (await t.fetchAs('auditor', '/api/v1/reports/access_risk/runs?days=7')).json());
    expect(list.runs.map((r) => r.runId)).toEqual([a.runId]);
    // Right after it ended, a user re-run waits a minute, as in Teleport.
    const tooSoon = await expectProblem(await post('/api/v1/reports/access_risk/runs', { days: 7 }), 429, ProblemTypes.tooManyRequests);
    expect(tooSoon.detail).toMatch(/less than a minute ago/);
    // A minute later a request starts a new run.
    clockMs += 61_000;
    try {
      const next = await startRun('access_risk', 7);
      expect(next.joined).toBe(false);
      expect(next.runId).not.toBe(a.runId);
      await settledState('access_risk', 7);
      const after = ReportRunList.parse(await (await t.fetchAs('auditor', '/api/v1/reports/access_risk/runs?days=7')).json());
      expect(after.runs.map((r) => r.runId)).toEqual([next.runId, a.runId]);
    } finally {
      clockMs -= 61_000;
    }
  });

  it('tells when a re-run may start, in Retry-After', async () => {
    await startRun('access_risk', 30);
    expect((await settledState('access_risk', 30)).state).toBe('READY');
    const res = await post('/api/v1/reports/access_risk/runs', { days: 30 });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
  });

  it('keys the run index so that listing it gives the newest run first', () => {
    const older = reportKeys.runIndex('access_risk', 7, Date.parse('2026-01-14T12:00:00Z'), 'r20260114120000-ffffffffffff');
    const newer = reportKeys.runIndex('access_risk', 7, Date.parse('2026-01-14T12:00:01Z'), 'r20260114120001-000000000000');
    expect([older, newer].sort()).toEqual([newer, older]);
    expect(newer.startsWith(reportKeys.runIndexPrefix('access_risk', 7))).toBe(true);
  });

  it('marks only the failing query FAILED, with the engine message, while the others complete', async () => {
    const good = findingQuery(PRIVILEGE_ACCESS_REPORT, 'session_start_root_user')!;
    const custom: SecurityReport = {
      name: 'custom_with_a_broken_query',
      title: 'Custom',
      description: 'imported',
      version: '1',
      readOnly: false,
      queries: [good, { ...good, id: 'broken_query', detailSql: 'SELECT event_time, no_such_column FROM session_start' }],
    };
    await createReportCatalog(createFsObjectStore(t.stateDir)).save(custom, 'test', new Date());
    const started = await startRun(custom.name, 7);
    const state = await settledState(custom.name, 7);
    expect(state.state).toBe('READY');
    const run = await getRun(started.runId);
    expect(run.state).toBe('PARTIAL');
    const [ok, broken] = run.queries;
    expect(ok).toMatchObject({ id: 'session_start_root_user', state: 'SUCCEEDED' });
    expect(ok!.rowCount).toBe(weekRun.queries.find((q) => q.id === 'session_start_root_user')!.rowCount);
    expect(broken).toMatchObject({ id: 'broken_query', state: 'FAILED', error: { type: ProblemTypes.engineFailed } });
    expect(broken!.error!.detail).toMatch(/no_such_column/);
    expect(broken!.rowCount).toBeUndefined();
    await expectProblem(await t.fetchAs('auditor', `/api/v1/runs/${run.id}/queries/broken_query/rows`), 409, ProblemTypes.resultNotReady);
  });

  it('answers a corrupt or missing stored result with a problem, never an empty page', async () => {
    const started = await startRun('privilege_access_report', 120);
    await settledState('privilege_access_report', 120);
    const run = await getRun(started.runId);
    const q = run.queries.find((x) => x.rowCount! > 0)!;
    const csvFile = path.join(t.stateDir, 'runs', run.id, `${q.id}.csv`);
    await writeFile(csvFile, '"event_time","user"\n"2026-01-10 00:00:00.000","unterminated');
    const corrupt = await expectProblem(await t.fetchAs('auditor', `/api/v1/runs/${run.id}/queries/${q.id}/rows`), 410, ProblemTypes.resultGone);
    expect(corrupt.detail).toContain(q.id);
    await writeFile(path.join(t.stateDir, 'runs', run.id, 'manifest.json'), '{"id": "truncat');
    // A manifest read in the last second is served from memory: the damage shows once it is checked again.
    await vi.waitFor(async () => expect((await t.fetchAs('auditor', `/api/v1/runs/${run.id}`)).status).toBe(410), { timeout: 5_000, interval: 200 });
    const manifest = await expectProblem(await t.fetchAs('auditor', `/api/v1/runs/${run.id}`), 410, ProblemTypes.resultGone);
    expect(manifest.detail).toMatch(/manifest is corrupt/);
  });
});

describe('interrupted runs', () => {
  const store = () => createFsObjectStore(t.stateDir);

  it('marks a RUNNING state left by an earlier process of this instance FAILED, and runs the report again', async () => {
    const states = createReportStates(store());
    const stale = 'r20260114110000-aaaaaaaaaaaa';
    await states.write(
      { report: 'privilege_access_report', days: 90, state: 'RUNNING', runId: stale, startedAt: NOW, owner: { instance: os.hostname(), process: 'an-earlier-process', heartbeatAt: NOW } },
      undefined,
    );
    const started = await startRun('privilege_access_report', 90);
    expect(started.joined).toBe(false);
    expect(started.runId).not.toBe(stale);
    expect(await settledState('privilege_access_report', 90)).toMatchObject({ state: 'READY', runId: started.runId });
    const logged = t.logs.find((l) => l.includes('interrupted by a restart'));
    expect(logged).toContain(stale);
  });

  it('joins a run another live instance is doing, and recovers one whose instance stopped beating', async () => {
    const states = createReportStates(store());
    const other = 'r20260114115900-bbbbbbbbbbbb';
    await states.write({ report: 'access_risk', days: 90, state: 'RUNNING', runId: other, startedAt: NOW, owner: { instance: 'other-host', process: 'p', heartbeatAt: NOW } }, undefined);
    const joined = await startRun('access_risk', 90);
    expect(joined).toMatchObject({ runId: other, joined: true, state: { state: 'RUNNING' } });

    // The other instance stops beating: an hour later the next start (scheduler or restart) recovers it.
    const later = createReportServices({
      engine: t.engine,
      store: store(),
      config: embeddedConfig({ eventsDir: t.dataDir, resultsDir: t.stateDir, usersFile: path.join(t.stateDir, 'unused.yaml') }),
      logger: pino({ level: 'silent' }),
      now: () => new Date(Date.parse(NOW) + 3_600_000),
    });
    expect(await later.runs.recoverInterrupted(BUILT_IN_REPORTS, [90])).toEqual([{ report: 'access_risk', days: 90 }]);
    const failed = await later.runs.state('access_risk', 90);
    expect(failed).toMatchObject({ state: 'FAILED', runId: other });
    expect(failed.error?.detail).toMatch(/interrupted by a restart/);
    const rerun = await later.runs.start('access_risk', { days: 90, end: FIXTURE_END });
    expect(rerun.joined).toBe(false);
    await later.runs.settled('access_risk', 90);
    expect(await later.runs.state('access_risk', 90)).toMatchObject({ state: 'READY', runId: rerun.runId, lastReadyRunId: rerun.runId });
  });
});

describe('stored results', () => {
  it("streams each finding's CSV from the engine into the run, never handing the store a whole file", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-streamed-'));
    try {
      const fs = createFsObjectStore(dir);
      const wholeCsvPuts: string[] = [];
      // The store as the runs see it: whole-body puts of CSV files are noted (and still done, so the run completes either way).
      const store: ObjectStore = Object.assign(Object.create(fs) as ObjectStore, {
        put: (key: string, body: string | Uint8Array, opts?: PutOptions) => {
          if (key.endsWith('.csv')) wholeCsvPuts.push(key);
          return fs.put(key, body, opts);
        },
      });
      const services = createReportServices({
        engine: t.engine,
        store,
        config: embeddedConfig({ eventsDir: t.dataDir, resultsDir: dir, usersFile: path.join(dir, 'unused.yaml') }),
        logger: pino({ level: 'silent' }),
        now: () => new Date(NOW),
      });
      const { runId } = await services.runs.start('privilege_access_report', { days: 30, end: FIXTURE_END });
      await services.runs.settled('privilege_access_report', 30);
      const run = await services.results.manifest(runId);
      expect(run.state).toBe('SUCCEEDED');
      expect(wholeCsvPuts).toEqual([]);
      for (const q of run.queries) {
        const stored = (await store.get(reportKeys.resultCsv(runId, q.id))).body;
        expect(createHash('sha256').update(stored).digest('hex'), q.id).toBe(q.sha256);
        expect((await services.results.page(runId, q.id, 0, 1)).totalRows, q.id).toBe(q.rowCount);
      }
      // The period diff read the stored CSV back: a finding with rows has entities now and then.
      expect(run.queries.filter((q) => q.diff !== undefined).length).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('bad input', () => {
  it('refuses a window other than 7, 30, 90 or 120 days, naming them', async () => {
    const p = await expectProblem(await post('/api/v1/reports/privilege_access_report/runs', { days: 14 }), 400, ProblemTypes.invalidWindow);
    expect(p.detail).toMatch(/7, 30, 90, 120/);
    await expectProblem(await t.fetchAs('auditor', '/api/v1/reports/privilege_access_report/runs?days=14'), 400, ProblemTypes.invalidWindow);
  });

  it('answers unknown reports, queries and runs with 404 problems', async () => {
    const report = await expectProblem(await t.fetchAs('auditor', '/api/v1/reports/no_such_report'), 404, ProblemTypes.notFound);
    expect(report.detail).toMatch(/privilege_access_report/);
    await expectProblem(await post('/api/v1/reports/no_such_report/runs', { days: 7 }), 404, ProblemTypes.notFound);
    await expectProblem(await t.fetchAs('auditor', '/api/v1/reports/privilege_access_report/queries/no_such_query'), 404, ProblemTypes.notFound);
    await expectProblem(await t.fetchAs('auditor', '/api/v1/runs/r20990101000000-000000000000'), 404, ProblemTypes.notFound);
    await expectProblem(await t.fetchAs('auditor', '/api/v1/runs/not-a-run-id'), 404, ProblemTypes.notFound);
  });

  it('shows an audit query with its SQL', async () => {
    const res = await t.fetchAs('auditor', '/api/v1/reports/privilege_access_report/queries/ssh_sessions_with_weak_security');
    expect(res.status).toBe(200);
    const q = (await res.json()) as { chartSql: string; detailSql: string; entityColumns: string[]; severity: string };
    expect(q.chartSql).toBe(findingQuery(PRIVILEGE_ACCESS_REPORT, 'ssh_sessions_with_weak_security')!.chartSql);
    expect(q.detailSql).toMatch(/^SELECT event_time/);
    expect(q.entityColumns).toEqual(['user']);
  });

  it('lists every report with a state per window, NEVER_RUN until it runs', async () => {
    const res = await t.fetchAs('auditor', '/api/v1/reports');
    const list = (await res.json()) as { reports: ReportSummary[] };
    expect(list.reports.slice(0, 2).map((r) => r.name)).toEqual(['privilege_access_report', 'access_risk']);
    for (const r of list.reports) expect(r.states.map((s) => s.days)).toEqual([7, 30, 90, 120]);
    expect(list.reports.find((r) => r.name === 'privilege_access_report')!.readOnly).toBe(true);
  });

  it('refuses runs, run results and listing runs to a user without use on security_report', async () => {
    const run = ReportRunList.parse(await (await t.fetchAs('auditor', '/api/v1/reports/privilege_access_report/runs?days=7')).json()).runs[0]!;
    for (const who of ['runner', 'visitor'] as const) {
      for (const res of [
        await post('/api/v1/reports/privilege_access_report/runs', { days: 7 }, who),
        await t.fetchAs(who, `/api/v1/runs/${run.runId}`),
        await t.fetchAs(who, `/api/v1/runs/${run.runId}/queries/session_start_root_user/rows`),
        await t.fetchAs(who, `/api/v1/runs/${run.runId}/queries/session_start_root_user/rows.csv`),
        await t.fetchAs(who, '/api/v1/reports/privilege_access_report/runs?days=7'),
      ]) {
        const p = await expectProblem(res, 403, ProblemTypes.forbidden);
        expect(p.detail).toMatch(/use on security_report/);
      }
    }
    // Reading definitions needs only read: the runner role (everything but use) may.
    expect((await t.fetchAs('runner', '/api/v1/reports/privilege_access_report')).status).toBe(200);
    expect((await t.fetchAs('visitor', '/api/v1/reports')).status).toBe(403);
  });
});
