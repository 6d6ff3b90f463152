import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Execution, ExecutionEstimate, ExecutionList, ProblemTypes, type Problem } from '@access-monitor/contracts';
import { startTestServer, type TestServer, type TestUser } from '../testing/test-server';
import { createExecutionLog } from './execution-log';
import { serviceCaller } from './executions-service';

const WINDOW = { start: '2026-01-12', end: '2026-01-14' };
// Every 3-tuple of events with a string built per tuple: minutes of work for DuckDB, and allowed by the guard.
const LONG_SQL = 'SELECT count(*) AS n FROM audit_events a, audit_events b, audit_events c WHERE length(a.uid || b.uid || c.uid) > 1000';

const post = (t: TestServer, body: unknown, user: TestUser = 'auditor') =>
  t.fetchAs(user, '/api/v1/executions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function started(t: TestServer, body: unknown): Promise<Execution> {
  const res = await post(t, body);
  expect(res.status).toBe(202);
  return Execution.parse(await res.json());
}

async function settled(t: TestServer, id: string, states: readonly string[] = ['SUCCEEDED', 'FAILED', 'CANCELLED']): Promise<Execution> {
  for (;;) {
    const e = Execution.parse(await (await t.fetchAs('auditor', `/api/v1/executions/${id}`)).json());
    if (states.includes(e.state)) return e;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function problemOf(res: Response, status: number, type: string): Promise<Problem> {
  expect(res.status).toBe(status);
  const problem = (await res.json()) as Problem;
  expect(problem.type).toBe(type);
  return problem;
}

async function partitionBytes(dataDir: string, dates: string[]): Promise<number> {
  let total = 0;
  for (const date of dates) {
    for (const f of await readdir(path.join(dataDir, date))) if (f.endsWith('.parquet')) total += (await stat(path.join(dataDir, date, f))).size;
  }
  return total;
}

describe('running audit queries', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ days: 3, events: 2000 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('estimates the bytes to scan from the date folders the window touches, before running', async () => {
    const res = await t.fetchAs('auditor', `/api/v1/executions/estimate?start=${WINDOW.start}&end=${WINDOW.end}`);
    expect(res.status).toBe(200);
    const estimate = ExecutionEstimate.parse(await res.json());
    expect(estimate.window).toEqual(WINDOW);
    expect(estimate.bytes).toBe(await partitionBytes(t.dataDir, ['2026-01-12', '2026-01-13', '2026-01-14']));
    const oneDay = ExecutionEstimate.parse(await (await t.fetchAs('auditor', '/api/v1/executions/estimate?days=1&end=2026-01-13')).json());
    expect(oneDay.bytes).toBe(await partitionBytes(t.dataDir, ['2026-01-13']));
    const ran = await settled(t, (await started(t, { sql: 'SELECT count(*) FROM audit_events', ...WINDOW })).id);
    expect(ran.bytesScanned).toBe(estimate.bytes);
    await problemOf(await t.fetchAs('auditor', '/api/v1/executions/estimate'), 400, ProblemTypes.invalidRequest);
    expect((await t.fetchAs('visitor', '/api/v1/executions/estimate?days=7')).status).toBe(403);
  });

  it('cancels a long query: the state becomes CANCELLED and the engine runs the next queries at once', async () => {
    const long = await started(t, { sql: LONG_SQL, ...WINDOW });
    await settled(t, long.id, ['RUNNING']);
    const cancel = await t.fetchAs('auditor', `/api/v1/executions/${long.id}`, { method: 'DELETE' });
    expect(cancel.status).toBe(202);
    expect(Execution.parse(await cancel.json()).state).toBe('CANCELLED');
    expect((await settled(t, long.id)).state).toBe('CANCELLED');
    // Both of the engine's slots (maxConcurrent 2) are free again: two queries started together both finish,
    // which they could not if the cancelled one were still holding a connection.
    const next = await Promise.all([started(t, { sql: 'SELECT count(*) AS n FROM session_start', ...WINDOW }), started(t, { sql: 'SELECT 1 AS one', ...WINDOW })]);
    const done = await Promise.all(next.map((e) => settled(t, e.id)));
    expect(done.map((e) => e.state)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(done[0]!.rowCount).toBe(1);
  });

  it('refuses to cancel another user\'s running query with 403 …/forbidden, while they may still read it; an editor may cancel it', async () => {
    const long = await started(t, { sql: LONG_SQL, ...WINDOW });
    await settled(t, long.id, ['RUNNING']);
    try {
      const refused = await problemOf(await t.fetchAs('runner', `/api/v1/executions/${long.id}`, { method: 'DELETE' }), 403, ProblemTypes.forbidden);
      expect(refused.detail).toMatch(/auditor's query needs update on audit_query/);
      const shared = await t.fetchAs('runner', `/api/v1/executions/${long.id}`);
      expect(shared.status).toBe(200);
      expect(Execution.parse(await shared.json()).state).toBe('RUNNING');
      const byEditor = await t.fetchAs('editor', `/api/v1/executions/${long.id}`, { method: 'DELETE' });
      expect(byEditor.status).toBe(202);
      expect(Execution.parse(await byEditor.json()).state).toBe('CANCELLED');
    } finally {
      await t.executions.engine.cancel(long.id);
    }
  });

  it('lets only holders of update on audit_query cancel a query the server runs itself, even one run on your behalf', async () => {
    const { status } = await t.executions.start(serviceCaller('report-run', 'auditor'), { sql: LONG_SQL, window: WINDOW, intent: ['service-cancel-test'] });
    await settled(t, status.id, ['RUNNING']);
    try {
      const refused = await problemOf(await t.fetchAs('auditor', `/api/v1/executions/${status.id}`, { method: 'DELETE' }), 403, ProblemTypes.forbidden);
      expect(refused.detail).toMatch(/query the server runs itself \(service:report-run\)/);
      expect((await t.fetchAs('editor', `/api/v1/executions/${status.id}`, { method: 'DELETE' })).status).toBe(202);
      expect((await settled(t, status.id)).state).toBe('CANCELLED');
    } finally {
      await t.executions.engine.cancel(status.id);
    }
  });

  it('refuses a saved-query name that does not exist, since it names the history entry and the CSV download', async () => {
    const missing = await problemOf(await post(t, { sql: 'SELECT 1 AS one', ...WINDOW, query: 'ceo-salaries' }), 404, ProblemTypes.notFound);
    expect(missing.detail).toMatch(/no saved query named ceo-salaries/);
  });

  it('streams the CSV with Athena quoting, NULL as an empty field, named after the saved query and the window', async () => {
    const sql = `SELECT 'say "hi", bye' AS quoted, NULL AS nothing, 'line1' || chr(10) || 'line2' AS multiline, 42 AS answer`;
    const saved = await t.fetchAs('editor', '/api/v1/queries/weekly-quotes', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'if-none-match': '*' },
      body: JSON.stringify({ title: 'Weekly quotes', sql, days: 3 }),
    });
    expect(saved.status).toBe(201);
    const ran = await settled(t, (await started(t, { sql, ...WINDOW, query: 'weekly-quotes' })).id);
    expect(ran).toMatchObject({ state: 'SUCCEEDED', query: 'weekly-quotes' });
    const csv = await t.fetchAs('auditor', `/api/v1/executions/${ran.id}/results.csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="?weekly-quotes_2026-01-12_2026-01-14\.csv"?$/);
    expect(await csv.text()).toBe('"quoted","nothing","multiline","answer"\n"say ""hi"", bye",,"line1\nline2","42"\n');
    const history = (await (await t.fetchAs('auditor', '/api/v1/executions?q=weekly-quotes')).json()) as { executions: Execution[] };
    expect(history.executions.map((e) => e.id)).toEqual([ran.id]);
  });

  it("pages the history by cursor, everyone's and one's own, each execution once, newest first", async () => {
    const log = createExecutionLog(t.store);
    const at = Date.parse('2026-01-14T13:00:00Z');
    for (let i = 0; i < 25; i++) {
      await log.record({ id: `paged${String(i).padStart(2, '0')}`, user: i % 2 ? 'auditor' : 'runner', sql: `SELECT ${i} AS paged`, window: WINDOW, engine: 'duckdb', submittedAt: new Date(at + i * 1000).toISOString() });
    }
    const pages = async (url: string, user: TestUser = 'editor') => {
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let n = 0; n < 10; n++) {
        const list = ExecutionList.parse(await (await t.fetchAs(user, `${url}${cursor ? `&cursor=${cursor}` : ''}`)).json());
        ids.push(...list.executions.map((e) => e.id));
        cursor = list.nextCursor;
        if (!cursor) return { ids, pages: n + 1 };
      }
      throw new Error('the cursor never ended');
    };
    const everyone = await pages('/api/v1/executions?mine=false&limit=10&q=paged');
    expect(everyone.ids).toEqual(Array.from({ length: 25 }, (_, i) => `paged${String(24 - i).padStart(2, '0')}`));
    const all = await pages('/api/v1/executions?mine=false&limit=7');
    expect(all.pages).toBeGreaterThan(3);
    expect(new Set(all.ids).size).toBe(all.ids.length);
    expect(all.ids.filter((id) => id.startsWith('paged'))).toEqual(everyone.ids);
    const mine = await pages('/api/v1/executions?mine=true&limit=4&q=paged', 'auditor');
    expect(mine.ids).toEqual(everyone.ids.filter((id) => Number(id.slice(5)) % 2 === 1));
    // A cursor that is not one is refused, not taken for a key.
    await problemOf(await t.fetchAs('editor', '/api/v1/executions?cursor=..%2Fsecrets'), 400, ProblemTypes.invalidRequest);
  });

  it('streams a result of every row, with no cap', async () => {
    const ran = await settled(t, (await started(t, { sql: 'SELECT uid FROM audit_events ORDER BY uid', ...WINDOW })).id);
    const lines = (await (await t.fetchAs('auditor', `/api/v1/executions/${ran.id}/results.csv`)).text()).trimEnd().split('\n');
    expect(lines).toHaveLength(ran.rowCount! + 1);
    expect(ran.rowCount).toBeGreaterThan(1000);
  });
});

describe('limits on scans and on how long results are kept', () => {
  let t: TestServer;
  let shiftMs = 0;
  const retentionMs = 3_600_000;
  beforeAll(async () => {
    t = await startTestServer({ days: 3, events: 300, limits: { maxBytesScanned: 1000, resultRetentionMs: retentionMs }, clock: () => new Date(Date.now() + shiftMs) });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a query over limits.max_bytes_scanned with …/scan-limit, and says so in the estimate first', async () => {
    const estimate = ExecutionEstimate.parse(await (await t.fetchAs('auditor', `/api/v1/executions/estimate?start=${WINDOW.start}&end=${WINDOW.end}`)).json());
    expect(estimate.maxBytesScanned).toBe(1000);
    expect(estimate.bytes).toBeGreaterThan(1000);
    const refused = await problemOf(await post(t, { sql: 'SELECT count(*) FROM session_start', ...WINDOW }), 422, ProblemTypes.scanLimit);
    expect(refused.detail).toMatch(/over the limit of 1000 B/);
    // A statement reading no view scans nothing and runs.
    expect((await settled(t, (await started(t, { sql: 'SELECT 1 AS one', ...WINDOW })).id)).state).toBe('SUCCEEDED');
  });

  it('answers 410 …/result-gone once limits.result_retention has passed, with when it expired', async () => {
    const ran = await settled(t, (await started(t, { sql: 'SELECT 1 AS one', ...WINDOW })).id);
    expect(ran.resultExpiresAt).toBe(new Date(Date.parse(ran.finishedAt!) + retentionMs).toISOString());
    expect((await t.fetchAs('auditor', `/api/v1/executions/${ran.id}/results`)).status).toBe(200);
    shiftMs = retentionMs + 60_000;
    try {
      const page = await problemOf(await t.fetchAs('auditor', `/api/v1/executions/${ran.id}/results`), 410, ProblemTypes.resultGone);
      expect(page.detail).toMatch(/kept for 1 hour \(limits\.result_retention\)\. Run the query again/);
      await problemOf(await t.fetchAs('auditor', `/api/v1/executions/${ran.id}/results.csv`), 410, ProblemTypes.resultGone);
      // The execution's facts stay readable: the page explains what happened instead of a dead link.
      expect(Execution.parse(await (await t.fetchAs('auditor', `/api/v1/executions/${ran.id}`)).json()).state).toBe('SUCCEEDED');
    } finally {
      shiftMs = 0;
    }
  });
});

describe('the engine\'s own limits, for queries nobody waits on', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ days: 3, events: 2000, limits: { interactiveTimeoutMs: 1500, maxResultBytes: 64 * 1024 } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stops a runaway ad-hoc query past limits.interactive_timeout with the timeout problem, while another user\'s query runs and report work keeps query_timeout', async () => {
    const runaway = await started(t, { sql: LONG_SQL, ...WINDOW });
    const other = await post(t, { sql: 'SELECT 1 AS one', ...WINDOW }, 'runner');
    expect(other.status).toBe(202);
    expect((await settled(t, Execution.parse(await other.json()).id)).state).toBe('SUCCEEDED');
    const { status: report } = await t.executions.start(serviceCaller('report-run'), { sql: LONG_SQL, window: WINDOW, intent: ['interactive-timeout-test'] });
    try {
      const stopped = await settled(t, runaway.id);
      expect(stopped.state).toBe('FAILED');
      expect(stopped.error).toMatchObject({ type: ProblemTypes.engineFailed, title: 'Query timed out and was stopped', status: 504 });
      expect((await t.executions.engine.status(report.id)).state).toBe('RUNNING');
    } finally {
      await t.executions.engine.cancel(report.id);
    }
  });

  it('stops a result growing past limits.max_result_bytes with …/result-too-large and serves none of it', async () => {
    const huge = await started(t, { sql: `SELECT repeat('x', 1000) AS s FROM (SELECT unnest(range(200000)) AS i) AS t`, ...WINDOW });
    const failed = await settled(t, huge.id);
    expect(failed.state).toBe('FAILED');
    expect(failed.error).toMatchObject({ type: ProblemTypes.resultTooLarge, status: 422 });
    await problemOf(await t.fetchAs('auditor', `/api/v1/executions/${huge.id}/results.csv`), 409, ProblemTypes.resultNotReady);
  });
});
