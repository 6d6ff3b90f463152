import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Execution, ReportRunStarted, isTerminalState } from '@access-monitor/contracts';
import { addUser } from '../identity/users-file';
import { TEST_PASSWORD, startTestServer, type TestServer } from '../testing/test-server';
import { LONG, percentile, recordFigures } from './reliability-figures';

const USERS = LONG ? 50 : 20;
const SECONDS = LONG ? 60 : 15;
const REPORT = 'privilege_access_report';
const QUERIES = [
  'SELECT "user", count(*) AS sessions FROM session_start GROUP BY "user" ORDER BY sessions DESC',
  'SELECT event_date, count(*) AS logins FROM user_login GROUP BY event_date ORDER BY event_date',
  'SELECT * FROM audit_events ORDER BY event_time DESC LIMIT 500',
];

let t: TestServer;
let runId: string;
let findingId: string;
let executionId: string;
const latencies = new Map<string, number[]>();
const statuses: Record<string, number> = {};
const serverErrors: string[] = [];

const json = (method: string, body: unknown) => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** One timed request, recorded under its route; the body is read whole (CSV included). */
async function timed(route: string, url: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  const started = performance.now();
  const res = await fetch(url, init);
  const text = await res.text();
  const ms = performance.now() - started;
  latencies.set(route, [...(latencies.get(route) ?? []), ms]);
  statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  if (res.status >= 500) serverErrors.push(`${route} ${res.status} ${text.slice(0, 200)}`);
  return { status: res.status, text };
}

/** One simulated person: signs in, then mixes dashboard, report, query, CSV and sign-in calls until the end. */
async function user(i: number, until: number): Promise<void> {
  const name = `load-${i}`;
  let cookie = '';
  const signIn = async () => {
    for (;;) {
      const started = performance.now();
      const res = await fetch(`${t.url}/api/v1/login`, json('POST', { username: name, password: TEST_PASSWORD }));
      latencies.set('POST /login', [...(latencies.get('POST /login') ?? []), performance.now() - started]);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      await res.text();
      if (res.status === 200) {
        cookie = res.headers.get('set-cookie')!.split(';')[0]!;
        return;
      }
      if (res.status >= 500) serverErrors.push(`POST /login ${res.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const api = (route: string, pathname: string, init: RequestInit = {}) => timed(route, `${t.url}/api/v1${pathname}`, { ...init, headers: { ...(init.headers as Record<string, string>), cookie } });
  await signIn();
  const actions: Array<() => Promise<unknown>> = [
    () => api('GET /usage/overview', `/usage/overview?days=${i % 2 ? 7 : 30}`),
    () => api('GET /reports', '/reports'),
    () => api('GET /reports/:name', `/reports/${REPORT}`),
    () => api('POST /reports/:name/runs', `/reports/${REPORT}/runs`, json('POST', { days: 7 })),
    () => api('GET /runs/:runId', `/runs/${runId}`),
    () => api('GET /runs/:runId/queries/:id/rows', `/runs/${runId}/queries/${findingId}/rows?limit=100`),
    () => api('GET /runs/:runId/queries/:id/rows.csv', `/runs/${runId}/queries/${findingId}/rows.csv`),
    () => api('GET /executions/:id/results.csv', `/executions/${executionId}/results.csv`),
    () => api('GET /schema', '/schema'),
    async () => {
      const started = await api('POST /executions', '/executions', json('POST', { sql: QUERIES[Math.floor(Math.random() * QUERIES.length)], days: 7 }));
      if (started.status !== 202) return;
      let e = Execution.parse(JSON.parse(started.text));
      while (!isTerminalState(e.state) && Date.now() < until + 10_000) {
        await new Promise((r) => setTimeout(r, 25));
        const polled = await api('GET /executions/:id', `/executions/${e.id}`);
        if (polled.status !== 200) return;
        e = Execution.parse(JSON.parse(polled.text));
      }
      if (e.state === 'SUCCEEDED') await api('GET /executions/:id/results', `/executions/${e.id}/results?limit=100`);
    },
    signIn,
  ];
  while (Date.now() < until) await actions[Math.floor(Math.random() * actions.length)]!();
}

beforeAll(async () => {
  t = await startTestServer({ days: 30, events: 6000 });
  // One person per simulated user: the running-query limit is per person, as in real use.
  const usersFile = path.join(path.dirname(t.dataDir), 'users.yaml');
  for (let i = 0; i < USERS; i++) await addUser(usersFile, { name: `load-${i}`, roles: ['auditor'], password: TEST_PASSWORD }, { N: 1024, r: 8, p: 1 });
  const run = ReportRunStarted.parse(await (await t.fetchAs('auditor', `/api/v1/reports/${REPORT}/runs`, json('POST', { days: 7 }))).json());
  await t.reports.runs.settled(REPORT, 7);
  runId = run.runId;
  findingId = 'ssh_sessions_with_weak_security';
  let e = Execution.parse(await (await t.fetchAs('auditor', '/api/v1/executions', json('POST', { sql: QUERIES[0], days: 30 }))).json());
  while (!isTerminalState(e.state)) {
    await new Promise((r) => setTimeout(r, 20));
    e = Execution.parse(await (await t.fetchAs('auditor', `/api/v1/executions/${e.id}`)).json());
  }
  executionId = e.id;
});
afterAll(async () => {
  await t?.close();
});

describe('load on loopback', () => {
  it(`serves ${USERS} simulated users for ${SECONDS} s without a 5xx, then shuts down cleanly`, { timeout: (SECONDS + 90) * 1000 }, async () => {
    const started = Date.now();
    await Promise.all(Array.from({ length: USERS }, (_, i) => user(i, started + SECONDS * 1000)));
    const elapsed = (Date.now() - started) / 1000;
    expect(serverErrors).toEqual([]);
    expect(t.logs.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);

    const closing = Date.now();
    const { url } = t;
    await t.close();
    const shutdownMs = Date.now() - closing;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    t = undefined as unknown as TestServer;

    const routes = Object.fromEntries(
      [...latencies.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([route, ms]) => [route, { requests: ms.length, p50Ms: Math.round(percentile(ms, 50)), p99Ms: Math.round(percentile(ms, 99)) }]),
    );
    const requests = [...latencies.values()].reduce((n, ms) => n + ms.length, 0);
    await recordFigures('load', { users: USERS, seconds: SECONDS, requests, requestsPerSecond: Math.round(requests / elapsed), statuses, serverErrors: serverErrors.length, shutdownMs, routes });
    // Every kind of call was made.
    expect(Object.keys(routes)).toEqual(expect.arrayContaining(['GET /usage/overview', 'POST /executions', 'GET /executions/:id/results.csv', 'GET /runs/:runId/queries/:id/rows.csv', 'POST /login']));
  });
});
