import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemTypes } from '@access-monitor/contracts';
import { expectProblem } from '../testing/expect-problem';
import { startTestServer, type TestServer } from '../testing/test-server';

describe('requests Node refuses before any route', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ days: 1, events: 100 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers headers over 16 KB (a bloated cookie) with 431 problem+json and a stable type', async () => {
    const res = await fetch(`${t.url}/api/v1/me`, { headers: { cookie: `junk=${'a'.repeat(20_000)}` } });
    const problem = await expectProblem(res, 431, ProblemTypes.headersTooLarge);
    expect(problem.status).toBe(431);
    expect(problem.detail).toMatch(/16 KB/);
    // The server still answers normally afterwards.
    expect((await t.fetchAs('auditor', '/api/v1/me')).status).toBe(200);
  });

  it('answers a request that is not HTTP with 400 problem+json', async () => {
    const net = await import('node:net');
    const { port } = new URL(t.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n'));
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ type: ProblemTypes.invalidRequest, status: 400 });
  });
});
