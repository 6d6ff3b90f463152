import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Execution, ProblemTypes } from '@access-monitor/contracts';
import { expectProblem } from '../testing/expect-problem';
import { startTestServer, type TestServer } from '../testing/test-server';
import { recordFigures } from './reliability-figures';

const WINDOW = { start: '2026-01-12', end: '2026-01-14' };
const LONG_SQL = 'SELECT count(*) AS n FROM audit_events a, audit_events b, audit_events c WHERE length(a.uid || b.uid || c.uid) > 1000';
const figures = { instances: 2, maxRunningPerUser: 2, simultaneousStarts: 0, admitted: 0, refused429: 0, admittedAfterEnd: 0 };
const start = (t: TestServer, sql: string) =>
  t.fetchAs('editor', '/api/v1/executions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql, ...WINDOW }) });

describe('the per-user running limit across two instances on one store', () => {
  let stateDir: string;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-admission-'));
    const common = { days: 3, events: 1500, stateDir, limits: { maxRunningPerUser: 2 } };
    [a, b] = await Promise.all([startTestServer({ ...common, reports: { instanceId: 'instance-a' } }), startTestServer({ ...common, reports: { instanceId: 'instance-b' } })]);
    // Signed in before the burst, so the burst is only starts.
    for (const t of [a, b]) expect((await t.fetchAs('editor', '/api/v1/me')).status).toBe(200);
  });
  afterAll(async () => {
    await recordFigures('two-instance-admission', figures);
    await Promise.all([a?.close(), b?.close()]);
    await rm(stateDir, { recursive: true, force: true, maxRetries: 3 });
  });

  it('admits exactly 2 of 6 simultaneous starts split across the instances, refuses the rest with 429, and admits again once they end', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => start(i % 2 ? a : b, LONG_SQL)));
    const accepted = answers.filter((r) => r.status === 202);
    figures.simultaneousStarts = answers.length;
    figures.admitted = accepted.length;
    figures.refused429 = answers.filter((r) => r.status === 429).length;
    try {
      expect(accepted).toHaveLength(2);
      const refused = answers.filter((r) => r.status !== 202);
      expect(refused).toHaveLength(4);
      for (const res of refused) {
        const problem = await expectProblem(res, 429, ProblemTypes.tooManyRequests);
        expect(problem.detail).toMatch(/limits\.max_running_per_user/);
      }
      // Still full from either instance while both run.
      await expectProblem(await start(a, 'SELECT 1 AS one'), 429, ProblemTypes.tooManyRequests);
      await expectProblem(await start(b, 'SELECT 1 AS one'), 429, ProblemTypes.tooManyRequests);
    } finally {
      // Each embedded engine stops only its own executions: ask both.
      for (const res of accepted) {
        const { id } = Execution.parse(await res.json());
        for (const t of [a, b]) expect((await t.fetchAs('editor', `/api/v1/executions/${id}`, { method: 'DELETE' })).status).toBe(202);
      }
    }
    // The instance running each one frees its slot when it ends; then both instances admit again.
    for (const t of [a, b]) await vi.waitFor(async () => expect((await start(t, 'SELECT 1 AS one')).status).toBe(202), { timeout: 10_000, interval: 100 });
    figures.admittedAfterEnd = 2;
  });
});
