import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemTypes } from '@access-monitor/contracts';
import { expectProblem } from '../testing/expect-problem';
import { startTestServer, type TestServer } from '../testing/test-server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ days: 2, events: 200 });
});
afterAll(async () => {
  await t?.close();
});

describe('input refused before any handler runs', () => {
  it('answers a malformed %-escape in the path with a 400 problem, not a 500', async () => {
    for (const path of ['/api/v1/queries/%E0%A4%A', '/api/v1/queries/%', '/api/v1/executions/%zz']) {
      await expectProblem(await t.fetchAs('auditor', path), 400, ProblemTypes.invalidRequest);
    }
  });

  it('answers a body in another charset or with a Content-Encoding it does not have with a 4xx problem', async () => {
    const post = (headers: Record<string, string>) => t.fetchAs('auditor', '/api/v1/executions', { method: 'POST', headers, body: JSON.stringify({ sql: 'SELECT 1 AS one', days: 1 }) });
    const latin1 = await post({ 'content-type': 'application/json; charset=latin1' });
    expect(latin1.status).toBe(415);
    expect((await latin1.json()) as { type: string }).toMatchObject({ type: ProblemTypes.invalidRequest });
    for (const encoding of ['gzip', 'br']) {
      const res = await post({ 'content-type': 'application/json', 'content-encoding': encoding });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });
});
