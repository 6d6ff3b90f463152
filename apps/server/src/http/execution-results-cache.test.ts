import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Execution, ProblemTypes, ResultsPage } from '@access-monitor/contracts';
import { expectProblem } from '../testing/expect-problem';
import { startTestServer, type TestServer } from '../testing/test-server';

let t: TestServer;
let resultsPath: string;
beforeAll(async () => {
  t = await startTestServer({ days: 7, events: 500 });
  const started = await t.fetchAs('auditor', '/api/v1/executions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sql: 'SELECT event_type, count(*) AS n FROM audit_events GROUP BY event_type ORDER BY event_type', days: 7 }),
  });
  let exec = Execution.parse(await started.json());
  while (exec.state === 'QUEUED' || exec.state === 'RUNNING') {
    await new Promise((r) => setTimeout(r, 25));
    exec = Execution.parse(await (await t.fetchAs('auditor', `/api/v1/executions/${exec.id}`)).json());
  }
  expect(exec.state).toBe('SUCCEEDED');
  resultsPath = `/api/v1/executions/${exec.id}/results?offset=0&limit=5`;
});
afterAll(async () => {
  await t?.close();
});

describe('execution result pages served from memory', () => {
  it('reads a page once, answers later requests from memory and 304 to a client holding it', async () => {
    const pages = vi.spyOn(t.engine, 'page');
    try {
      const first = await t.fetchAs('auditor', resultsPath);
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag')!;
      const page = ResultsPage.parse(await first.json());
      expect(page.rows.length).toBeGreaterThan(0);
      const reads = pages.mock.calls.length;
      expect(ResultsPage.parse(await (await t.fetchAs('editor', resultsPath)).json())).toEqual(page);
      const again = await t.fetchAs('auditor', resultsPath, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(pages.mock.calls.length).toBe(reads);
    } finally {
      pages.mockRestore();
    }
  });

  it('refuses a user who may not run audit queries even when the page is cached and they send its ETag', async () => {
    const etag = (await t.fetchAs('auditor', resultsPath)).headers.get('etag')!;
    for (const denied of ['reporter', 'visitor'] as const) {
      const res = await t.fetchAs(denied, resultsPath, { headers: { 'if-none-match': etag } });
      await expectProblem(res, 403, ProblemTypes.forbidden);
      expect(res.headers.get('etag')).not.toBe(etag);
    }
  });
});
