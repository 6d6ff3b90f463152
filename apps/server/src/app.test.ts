import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Execution, ProblemTypes, ResultsPage, UsageOverview } from '@access-monitor/contracts';
import { FIXTURE_END, startTestServer, type TestServer } from './testing/test-server';
import { expectProblem } from './testing/expect-problem';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

async function post(pathname: string, body: unknown): Promise<Response> {
  return t.fetchAs('auditor', pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

const get = (pathname: string) => t.fetchAs('auditor', pathname);

async function runQuery(sql: string, days = 7): Promise<Execution> {
  const res = await post('/api/v1/executions', { sql, days });
  expect(res.status).toBe(202);
  let exec = Execution.parse(await res.json());
  while (exec.state === 'QUEUED' || exec.state === 'RUNNING') {
    await new Promise((r) => setTimeout(r, 25));
    exec = Execution.parse(await (await get(`/api/v1/executions/${exec.id}`)).json());
  }
  return exec;
}

describe('executions API', () => {
  it('counts SSH session starts in the window exactly as raw DuckDB does over the same files', async () => {
    const exec = await runQuery('SELECT count(*) AS n FROM session_start', 7);
    expect(exec.state).toBe('SUCCEEDED');
    expect(exec.window).toEqual({ start: '2026-01-08', end: FIXTURE_END });
    const page = ResultsPage.parse(await (await get(`/api/v1/executions/${exec.id}/results`)).json());
    const expected = await t.rawCount('session.start', '2026-01-08', FIXTURE_END);
    expect(expected).toBeGreaterThan(0);
    expect(page.columns.map((c) => c.name)).toEqual(['n']);
    expect(page.rows).toEqual([[expected]]);
  });

  it('pages through results and streams them as CSV with a download filename', async () => {
    const exec = await runQuery('SELECT event_time, "user", sid FROM session_start ORDER BY event_time, sid', 14);
    expect(exec.state).toBe('SUCCEEDED');
    const total = await t.rawCount('session.start', '2026-01-01', FIXTURE_END);
    expect(exec.rowCount).toBe(total);
    const page2 = ResultsPage.parse(await (await get(`/api/v1/executions/${exec.id}/results?offset=10&limit=5`)).json());
    expect(page2.offset).toBe(10);
    expect(page2.rows).toHaveLength(5);
    expect(page2.totalRows).toBe(total);
    const csv = await get(`/api/v1/executions/${exec.id}/results.csv`);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="?audit-query_2026-01-01_2026-01-14_[\w-]{8}\.csv"?$/);
    const lines = (await csv.text()).trimEnd().split('\n');
    expect(lines[0]).toBe('"event_time","user","sid"');
    expect(lines).toHaveLength(total + 1);
  });

  it('refuses a statement that is not a single read-only query, naming why', async () => {
    const drop = await expectProblem(await post('/api/v1/executions', { sql: 'DROP TABLE audit_events', days: 7 }), 400, ProblemTypes.sqlRejected);
    expect(drop.detail).toMatch(/DROP/);
    const two = await expectProblem(await post('/api/v1/executions', { sql: 'SELECT 1; SELECT 2', days: 7 }), 400, ProblemTypes.sqlRejected);
    expect(two.detail).toMatch(/one statement/);
    const file = await expectProblem(await post('/api/v1/executions', { sql: "SELECT * FROM read_text('/etc/passwd')", days: 7 }), 400, ProblemTypes.sqlRejected);
    expect(file.detail).toMatch(/read_text/);
  });

  it('reports where SQL fails to parse', async () => {
    const p = await expectProblem(await post('/api/v1/executions', { sql: 'SELECT *\nFROM session_start\nWHERE (', days: 7 }), 400, ProblemTypes.sqlInvalid);
    expect(p.position?.line).toBe(3);
  });

  it('refuses windows over 366 days and inverted ranges', async () => {
    await expectProblem(await post('/api/v1/executions', { sql: 'SELECT 1', days: 367 }), 400, ProblemTypes.invalidRequest);
    const inverted = await expectProblem(await post('/api/v1/executions', { sql: 'SELECT 1', start: '2026-01-10', end: '2026-01-01' }), 400, ProblemTypes.invalidWindow);
    expect(inverted.detail).toMatch(/after/);
    await expectProblem(await post('/api/v1/executions', { sql: 'SELECT 1', start: '2024-01-01', end: '2026-01-01' }), 400, ProblemTypes.invalidWindow);
  });

  it('answers malformed JSON and unknown executions with problems', async () => {
    const res = await t.fetchAs('auditor', '/api/v1/executions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"sql": ' });
    await expectProblem(res, 400, ProblemTypes.invalidRequest);
    await expectProblem(await get('/api/v1/executions/nope'), 404, ProblemTypes.notFound);
    await expectProblem(await get('/api/v1/executions/..%2F..%2Fetc'), 400, ProblemTypes.invalidRequest);
  });

  it('marks a query over a corrupt Parquet file FAILED with the engine message and keeps serving', async () => {
    const day = (await readdir(t.dataDir)).sort()[0]!;
    const corrupt = path.join(t.dataDir, day, 'zz-corrupt.parquet');
    await writeFile(corrupt, 'this is not parquet');
    try {
      const failed = await runQuery('SELECT count(*) FROM audit_events', 14);
      expect(failed.state).toBe('FAILED');
      expect(failed.error?.type).toBe(ProblemTypes.engineFailed);
      expect(failed.error?.detail).toMatch(/parquet|magic|corrupt/i);
    } finally {
      await rm(corrupt);
    }
    const ok = await runQuery('SELECT count(*) AS n FROM session_start', 3);
    expect(ok.state).toBe('SUCCEEDED');
  });
});

describe('usage overview', () => {
  it('summarises sessions per day and protocol, users, MFA and logins for the window', async () => {
    const res = await get('/api/v1/usage/overview?days=7');
    expect(res.status).toBe(200);
    const o = UsageOverview.parse(await res.json());
    expect(o.window).toEqual({ start: '2026-01-08', end: FIXTURE_END });
    expect(o.sessionsPerDay.map((d) => d.date)).toHaveLength(7);
    const ssh = o.sessionsPerDay.reduce((n, d) => n + d.ssh, 0);
    expect(ssh).toBeGreaterThan(0);
    expect(ssh).toBeLessThanOrEqual(await t.rawCount('session.start', '2026-01-08', FIXTURE_END));
    expect(o.totals.sessions).toBe(o.sessionsPerDay.reduce((n, d) => n + d.ssh + d.db + d.kube + d.app + d.desktop, 0));
    expect(o.totals.sessionsWithMfa).toBeGreaterThan(0);
    expect(o.totals.sessionsWithMfa).toBeLessThan(o.totals.sessions);
    expect(o.topUsers[0]!.sessions).toBeGreaterThanOrEqual(o.topUsers.at(-1)!.sessions);
    expect(o.loginsByHourOfWeek.every((c) => c.dow >= 1 && c.dow <= 7 && c.hour >= 0 && c.hour < 24)).toBe(true);
    expect(o.totals.logins).toBe(o.loginsByHourOfWeek.reduce((n, c) => n + c.logins, 0));
    expect(o.queries.sessionsPerDay).toMatch(/session_start/);
  });

  it('changes with the window and refuses windows Teleport does not offer', async () => {
    const week = UsageOverview.parse(await (await get('/api/v1/usage/overview?days=7')).json());
    const month = UsageOverview.parse(await (await get('/api/v1/usage/overview?days=30')).json());
    expect(month.sessionsPerDay).toHaveLength(30);
    expect(month.totals.sessions).toBeGreaterThan(week.totals.sessions);
    const p = await expectProblem(await get('/api/v1/usage/overview?days=8'), 400, ProblemTypes.invalidWindow);
    expect(p.detail).toBe('days must be one of 7, 30, 90, 120');
  });
});

describe('operations', () => {
  it('answers health checks and tags every response with a request id', async () => {
    const res = await fetch(`${t.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
  });

  it('serves the schema of every view', async () => {
    const schema = (await (await get('/api/v1/schema')).json()) as { views: Array<{ name: string; columns: Array<{ name: string }> }> };
    const sessionStart = schema.views.find((v) => v.name === 'session_start');
    expect(sessionStart?.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['event_date', 'event_time', 'user', 'addr_remote', 'with_mfa']));
  });
});

describe('audit of use', () => {
  it("records who ran which SQL over which window, lists the caller's history newest first, and lets editors see everyone's", async () => {
    await runQuery("SELECT count(*) AS history_canary FROM session_start WHERE login = 'root'", 7);
    const mine = (await (await get('/api/v1/executions?q=history_canary')).json()) as { executions: Execution[] };
    expect(mine.executions).toHaveLength(1);
    expect(mine.executions[0]).toMatchObject({ user: 'auditor', state: 'SUCCEEDED', window: { start: '2026-01-08', end: FIXTURE_END }, engine: 'duckdb' });
    expect(mine.executions[0]!.bytesScanned).toBeGreaterThan(0);
    const all = (await (await get('/api/v1/executions?limit=200')).json()) as { executions: Execution[] };
    expect(all.executions.every((e) => e.user === 'auditor')).toBe(true);
    const times = all.executions.map((e) => e.submittedAt);
    expect(times).toEqual([...times].sort().reverse());
    const editorView = (await (await t.fetchAs('editor', '/api/v1/executions?mine=false&q=history_canary')).json()) as { executions: Execution[] };
    expect(editorView.executions.map((e) => e.user)).toEqual(['auditor']);
    const editorsOwn = (await (await t.fetchAs('editor', '/api/v1/executions?q=history_canary')).json()) as { executions: Execution[] };
    expect(editorsOwn.executions).toHaveLength(0);
  });
});

describe('limits', () => {
  it('refuses a fourth concurrent query of one user with 429 while another user can still run', async () => {
    // A self-join of every event pair keeps DuckDB busy long enough to still be running when we count.
    const slow = 'SELECT count(*) FROM audit_events a, audit_events b, audit_events c WHERE a.uid < b.uid AND b.uid < c.uid';
    const started: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await post('/api/v1/executions', { sql: slow, days: 14 });
      expect(res.status).toBe(202);
      started.push(Execution.parse(await res.json()).id);
    }
    const fourth = await expectProblem(await post('/api/v1/executions', { sql: 'SELECT 1', days: 7 }), 429, ProblemTypes.tooManyRequests);
    expect(fourth.detail).toMatch(/at most 3/);
    const other = await t.fetchAs('editor', '/api/v1/executions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: 'SELECT 1', days: 7 }) });
    expect(other.status).toBe(202);
    for (const id of started) expect((await t.fetchAs('auditor', `/api/v1/executions/${id}`, { method: 'DELETE' })).status).toBe(202);
    const again = await runQuery('SELECT 1 AS ok', 7);
    expect(again.state).toBe('SUCCEEDED');
  });
});
