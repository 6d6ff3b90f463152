import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FindingRowsPage, foldChart, ProblemTypes, ReportRun, ReportRunStarted, ReportSummary } from '@access-monitor/contracts';
import { createTriage } from '../triage/triage-store';
import { expectProblem } from '../testing/expect-problem';
import { startTestServer, type TestServer } from '../testing/test-server';
import { weakSshSession } from '../testing/weak-ssh-session';

// SSH sessions without MFA in the 7-day window ending 2026-01-14 (the test server's today).
const FIXTURE = [weakSshSession('bob', '2026-01-09T10:00:00.000Z'), weakSshSession('carol', '2026-01-10T10:00:00.000Z'), weakSshSession('bob', '2026-01-12T10:00:00.000Z')];
const REPORT = 'privilege_access_report';
const SSH = 'ssh_sessions_with_weak_security';

let t: TestServer;
let runId: string;
let runPath: string;
let rowsPath: string;
beforeAll(async () => {
  t = await startTestServer({ fixture: FIXTURE });
  const res = await t.fetchAs('auditor', `/api/v1/reports/${REPORT}/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ days: 7 }) });
  runId = ReportRunStarted.parse(await res.json()).runId;
  for (;;) {
    const summary = ReportSummary.parse(await (await t.fetchAs('auditor', `/api/v1/reports/${REPORT}`)).json());
    if (summary.states[0]!.state !== 'RUNNING') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  runPath = `/api/v1/runs/${runId}`;
  rowsPath = `${runPath}/queries/${SSH}/rows?offset=0&limit=100`;
});
afterAll(async () => {
  await t?.close();
});

const ifNoneMatch = (etag: string) => ({ headers: { 'if-none-match': etag } });

describe('run permalink and finding pages served from memory', () => {
  it('answers 304 without a body when the client holds the run page or a rows page already', async () => {
    for (const p of [runPath, rowsPath]) {
      const first = await t.fetchAs('auditor', p);
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^W\/".+"$/);
      const body = await first.json();
      // Another signed-in user with the permission gets the same bytes and the same validator.
      const other = await t.fetchAs('reporter', p);
      expect(other.headers.get('etag')).toBe(etag);
      expect(await other.json()).toEqual(body);

      const again = await t.fetchAs('auditor', p, ifNoneMatch(etag));
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      expect((await t.fetchAs('auditor', p, ifNoneMatch('W/"something-else"'))).status).toBe(200);
    }
    expect(ReportRun.parse(await (await t.fetchAs('auditor', runPath)).json()).id).toBe(runId);
    expect(FindingRowsPage.parse(await (await t.fetchAs('auditor', rowsPath)).json()).totalRows).toBe(3);
  });

  it('refuses a user without use on security_report even when the page is cached and they send its ETag', async () => {
    for (const p of [runPath, rowsPath]) {
      const etag = (await t.fetchAs('auditor', p)).headers.get('etag')!;
      for (const denied of ['runner', 'visitor', 'ghost'] as const) {
        const res = await t.fetchAs(denied, p, ifNoneMatch(etag));
        await expectProblem(res, 403, ProblemTypes.forbidden);
        expect(res.headers.get('etag')).not.toBe(etag);
      }
      const anonymous = await fetch(`${t.url}${p}`, ifNoneMatch(etag));
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('etag')).not.toBe(etag);
    }
  });

  it('serves new triage counts and exceptions after a triage, under a new ETag', async () => {
    const runBefore = await t.fetchAs('auditor', runPath);
    const rowsBefore = await t.fetchAs('auditor', rowsPath);
    const [runTag, rowsTag] = [runBefore.headers.get('etag')!, rowsBefore.headers.get('etag')!];
    expect(ReportRun.parse(await runBefore.json()).queries.find((q) => q.id === SSH)!.openRowCount).toBe(3);

    const saved = await t.fetchAs('editor', `/api/v1/reports/${REPORT}/findings/${SSH}/triage`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ entity: { user: 'carol' }, status: 'false_positive', reason: 'break-glass drill' }),
    });
    expect(saved.status).toBe(201);

    const runAfter = await t.fetchAs('auditor', runPath, ifNoneMatch(runTag));
    expect(runAfter.status).toBe(200);
    expect(runAfter.headers.get('etag')).not.toBe(runTag);
    expect(ReportRun.parse(await runAfter.json()).queries.find((q) => q.id === SSH)!.openRowCount).toBe(2);
    const rowsAfter = await t.fetchAs('auditor', rowsPath, ifNoneMatch(rowsTag));
    expect(rowsAfter.status).toBe(200);
    expect(FindingRowsPage.parse(await rowsAfter.json()).triage!.map((x) => x?.status ?? null)).toEqual([null, 'false_positive', null]);
  });

  it('sends gzip to clients that accept it and plain JSON to those that do not', async () => {
    const plain = await t.fetchAs('auditor', runPath, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    const zipped = await t.fetchAs('auditor', runPath, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(await zipped.json()).toEqual(await plain.json()); // fetch decodes gzip
  });

  it('reads the stored rows once: later requests for the page are answered from memory', async () => {
    const fresh = `${runPath}/queries/${SSH}/rows?offset=1&limit=2`;
    const reads = vi.spyOn(t.store, 'read');
    try {
      const first = FindingRowsPage.parse(await (await t.fetchAs('auditor', fresh)).json());
      const csvReads = () => reads.mock.calls.filter(([key]) => key.endsWith(`${SSH}.csv`)).length;
      expect(csvReads()).toBeGreaterThan(0);
      const afterFirst = csvReads();
      for (let i = 0; i < 5; i++) expect(FindingRowsPage.parse(await (await t.fetchAs('reporter', fresh)).json())).toEqual(first);
      expect(csvReads()).toBe(afterFirst);
    } finally {
      reads.mockRestore();
    }
  });

  it('answers the page view with each chart folded as the page draws it, and refuses an unknown view', async () => {
    const full = ReportRun.parse(await (await t.fetchAs('auditor', runPath)).json());
    const page = ReportRun.parse(await (await t.fetchAs('auditor', `${runPath}?view=page`)).json());
    const ssh = (run: ReportRun) => run.queries.find((q) => q.id === SSH)!;
    expect(ssh(full).chart!.length).toBeGreaterThan(0);
    expect(ssh(page).chart).toBeUndefined();
    expect(ssh(page).trend).toEqual(foldChart(ssh(full).chart!, full.window));
    expect(ssh(page).trend!.days.map((d) => d.counts.reduce((a, b) => a + b, 0)).reduce((a, b) => a + b, 0)).toBe(3);
    // Everything but the chart is the run as recorded.
    const withoutCharts = (run: ReportRun) => ({ ...run, queries: run.queries.map(({ chart: _c, trend: _t, ...q }) => q) });
    expect(withoutCharts(page)).toEqual(withoutCharts(full));
    await expectProblem(await t.fetchAs('auditor', `${runPath}?view=everything`), 400, ProblemTypes.invalidRequest);
  });

  it('shows triage saved by another instance sharing the store within seconds', async () => {
    const openOf = async () => ReportRun.parse(await (await t.fetchAs('auditor', runPath)).json()).queries.find((q) => q.id === SSH)!.openRowCount;
    const before = await openOf();
    const elsewhere = createTriage(t.store, () => new Date('2026-01-14T12:00:00Z'), { maxAcceptedRiskDays: 90 });
    await elsewhere.set(REPORT, SSH, { entity: { user: 'bob' }, status: 'false_positive', reason: 'service account, reviewed' }, 'editor');
    await vi.waitFor(async () => expect(await openOf()).toBe(before! - 2), { timeout: 10_000, interval: 250 });
  });

  it('still answers 404 for a run that does not exist', async () => {
    await expectProblem(await t.fetchAs('auditor', '/api/v1/runs/r20260101000000-000000000000'), 404, ProblemTypes.notFound);
  });
});
