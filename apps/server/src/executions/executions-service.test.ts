import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Execution, ExecutionList, ProblemTypes, ReportRun, ReportRunStarted, ReportSummary } from '@access-monitor/contracts';
import { createFsObjectStore } from '@access-monitor/storage';
import { queryCommand } from '../cli/query-command';
import { expectProblem } from '../testing/expect-problem';
import { FIXTURE_END, startTestServer, type TestServer } from '../testing/test-server';
import { createExecutionLog } from './execution-log';
import { idempotencyToken, serviceCaller, userCaller } from './executions-service';

const WINDOW = { start: '2026-01-12', end: '2026-01-14' };
const LONG_SQL = 'SELECT count(*) AS n FROM audit_events a, audit_events b, audit_events c WHERE length(a.uid || b.uid || c.uid) > 1000';
const json = (body: unknown, headers: Record<string, string> = {}) => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function finishedRun(t: TestServer, days = 7): Promise<ReportRun> {
  const res = await t.fetchAs('auditor', '/api/v1/reports/privilege_access_report/runs', json({ days }));
  expect(res.status).toBe(202);
  const { runId } = ReportRunStarted.parse(await res.json());
  for (;;) {
    const summary = ReportSummary.parse(await (await t.fetchAs('auditor', '/api/v1/reports/privilege_access_report')).json());
    if (summary.states.find((s) => s.days === days)!.state !== 'RUNNING') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return ReportRun.parse(await (await t.fetchAs('auditor', `/api/v1/runs/${runId}`)).json());
}

describe('one execution path', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ days: 3, events: 1500 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('records the queries of a report run in the execution log under the report-run service, for the user who asked', async () => {
    const run = await finishedRun(t);
    expect(run.state).toBe('SUCCEEDED');
    const all = ExecutionList.parse(await (await t.fetchAs('editor', '/api/v1/executions?mine=false&limit=200')).json()).executions;
    const ofRun = all.filter((e) => e.origin === 'report-run');
    // Each finding runs its detail, chart and previous-window SQL, plus one completeness query per run.
    expect(ofRun.length).toBeGreaterThanOrEqual(run.queries.length * 2 + 1);
    expect(new Set(ofRun.map((e) => e.user))).toEqual(new Set(['service:report-run']));
    expect(new Set(ofRun.map((e) => e.onBehalfOf))).toEqual(new Set(['auditor']));
    // A person's own history stays theirs: the report's queries are not in it.
    const mine = ExecutionList.parse(await (await t.fetchAs('auditor', '/api/v1/executions?mine=true&limit=200')).json()).executions;
    expect(mine.filter((e) => e.origin === 'report-run')).toEqual([]);
  });

  it('joins a retried start carrying the same Idempotency-Key instead of running the query twice', async () => {
    const body = { sql: 'SELECT count(*) AS n FROM session_start', ...WINDOW };
    const [a, b] = await Promise.all([
      t.fetchAs('auditor', '/api/v1/executions', json(body, { 'idempotency-key': 'click-42' })),
      t.fetchAs('auditor', '/api/v1/executions', json(body, { 'idempotency-key': 'click-42' })),
    ]);
    const [ea, eb] = [Execution.parse(await a.json()), Execution.parse(await b.json())];
    expect(ea.id).toBe(eb.id);
    const other = Execution.parse(await (await t.fetchAs('auditor', '/api/v1/executions', json(body, { 'idempotency-key': 'click-43' }))).json());
    expect(other.id).not.toBe(ea.id);
    // The same key from another user is another intent.
    const editors = Execution.parse(await (await t.fetchAs('editor', '/api/v1/executions', json(body, { 'idempotency-key': 'click-42' }))).json());
    expect(editors.id).not.toBe(ea.id);
  });

  it('admits exactly max_running_per_user of 20 simultaneous starts and refuses the rest with 429', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.fetchAs('editor', '/api/v1/executions', json({ sql: LONG_SQL, ...WINDOW }))));
    const accepted = answers.filter((r) => r.status === 202);
    try {
      expect(accepted).toHaveLength(3);
      const refused = answers.filter((r) => r.status !== 202);
      expect(refused).toHaveLength(17);
      await expectProblem(refused[0]!, 429, ProblemTypes.tooManyRequests);
    } finally {
      for (const res of accepted) {
        const { id } = Execution.parse(await res.json());
        await t.fetchAs('editor', `/api/v1/executions/${id}`, { method: 'DELETE' });
      }
    }
    // Cancelled queries free their slots: the next start is admitted.
    const next = await t.fetchAs('editor', '/api/v1/executions', json({ sql: 'SELECT 1 AS one', ...WINDOW }));
    expect(next.status).toBe(202);
  });
});

describe('limits apply to every caller', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ days: 3, events: 300, limits: { maxBytesScanned: 1000 } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses the queries of a report run over limits.max_bytes_scanned like an interactive query', async () => {
    await expectProblem(await t.fetchAs('auditor', '/api/v1/executions', json({ sql: 'SELECT count(*) FROM session_start', ...WINDOW })), 422, ProblemTypes.scanLimit);
    const run = await finishedRun(t);
    expect(run.queries.length).toBeGreaterThan(0);
    for (const q of run.queries) {
      expect(q.state).toBe('FAILED');
      expect(q.error?.type).toBe(ProblemTypes.scanLimit);
    }
  });

  it('refuses a CLI query over the limits of the config it runs with, and records the ones it runs', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-cli-limits-'));
    try {
      const limited = path.join(root, 'limited.yaml');
      await writeFile(limited, `access_monitoring:\n  report_results: file://${root}/results\naudit_events_uri: parquet://${t.dataDir}\nlimits:\n  max_bytes_scanned: 1000\n`);
      const sink = new Writable({ write: (_c, _e, cb) => cb() });
      await expect(queryCommand(['--config', limited, '--days', '3', '--end', FIXTURE_END, 'SELECT count(*) FROM session_start'], sink)).rejects.toThrow(/over the limit of 1000 B/);
      await queryCommand(['--config', limited, '--days', '3', '--end', FIXTURE_END, 'SELECT 1 AS one'], sink);
      const records = await createExecutionLog(createFsObjectStore(path.join(root, 'results'))).list({ limit: 10 });
      expect(records.map((r) => [r.origin, r.sql])).toEqual([['cli', 'SELECT 1 AS one']]);
      expect(records[0]!.user).toMatch(/^cli:/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('idempotency tokens', () => {
  it('are the same for the same caller and intent, and differ for another caller, origin or intent', () => {
    const a = idempotencyToken(userCaller('alice'), ['req-1']);
    expect(idempotencyToken(userCaller('alice'), ['req-1'])).toBe(a);
    expect(idempotencyToken(userCaller('bob'), ['req-1'])).not.toBe(a);
    expect(idempotencyToken(userCaller('alice', 'timeline'), ['req-1'])).not.toBe(a);
    expect(idempotencyToken(userCaller('alice'), ['req-2'])).not.toBe(a);
    // Parts are separated, so ['ab', 'c'] and ['a', 'bc'] are different intents.
    expect(idempotencyToken(serviceCaller('report-run'), ['ab', 'c'])).not.toBe(idempotencyToken(serviceCaller('report-run'), ['a', 'bc']));
  });
});
