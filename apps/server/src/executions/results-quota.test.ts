import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Execution, ProblemTypes } from '@access-monitor/contracts';
import { expectProblem } from '../testing/expect-problem';
import { startTestServer, type TestServer, type TestUser } from '../testing/test-server';

const WINDOW = { start: '2026-01-12', end: '2026-01-14' };
const QUOTA = 20_000;
const start = (t: TestServer, sql: string, user: TestUser = 'auditor') =>
  t.fetchAs(user, '/api/v1/executions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql, ...WINDOW }) });

describe('limits.results_quota_per_user', () => {
  let t: TestServer;
  let shiftMs = 0;
  beforeAll(async () => {
    t = await startTestServer({ days: 3, events: 1500, limits: { resultsQuotaPerUser: QUOTA }, clock: () => new Date(Date.now() + shiftMs) });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses new queries of a user whose kept results reach the quota with …/results-quota-exceeded, saying when they expire, until they do', async () => {
    const big = await start(t, 'SELECT uid, event_type, event_time FROM audit_events');
    expect(big.status).toBe(202);
    const { id } = Execution.parse(await big.json());
    await vi.waitFor(
      async () => {
        const e = Execution.parse(await (await t.fetchAs('auditor', `/api/v1/executions/${id}`)).json());
        expect(e.state).toBe('SUCCEEDED');
      },
      { timeout: 30_000, interval: 100 },
    );

    // Once the result is kept, the next start is refused (the size is noted as the execution ends).
    let refused!: Response;
    await vi.waitFor(
      async () => {
        refused = await start(t, 'SELECT 1 AS one');
        expect(refused.status).toBe(429);
      },
      { timeout: 10_000, interval: 100 },
    );
    const problem = await expectProblem(refused, 429, ProblemTypes.resultsQuotaExceeded);
    expect(problem.detail).toMatch(/limits\.results_quota_per_user/);
    expect(problem.detail).toMatch(/expire at \d{4}-\d\d-\d\dT/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(6 * 86_400);
    expect(retryAfter).toBeLessThanOrEqual(7 * 86_400);

    // Another user's quota is their own.
    expect((await start(t, 'SELECT 1 AS one', 'editor')).status).toBe(202);

    // Past limits.result_retention the result is no longer kept, and counts no more.
    shiftMs = 7 * 86_400_000 + 60_000;
    expect((await start(t, 'SELECT 1 AS one')).status).toBe(202);
  });
});
