import type { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Execution, ProblemTypes, ReportRunStarted, ReportSummary } from '@access-monitor/contracts';
import { startTestServer, TEST_PASSWORD, type TestServer, type TestUser } from '../testing/test-server';
import { buildOpenApiDocument } from '../openapi/openapi-document';
import { ROUTE_TABLE } from './route-table';
import { createApiRouter } from '../app';

let t: TestServer;
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
let executionId: string;
let runId: string;

beforeAll(async () => {
  t = await startTestServer({ days: 7, events: 1500, metricsToken: METRICS_TOKEN });
  const res = await t.fetchAs('editor', '/api/v1/executions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: 'SELECT count(*) AS n FROM session_start', days: 7 }) });
  executionId = Execution.parse(await res.json()).id;
  for (const name of ['fixture-rule', 'fixture-rule-doomed']) {
    const put = await t.fetchAs('editor', `/api/v1/actions/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json', 'if-none-match': '*' }, body: JSON.stringify(RULE) });
    expect(put.status).toBe(201);
  }
  for (const name of ['fixture-query', 'fixture-doomed']) {
    const put = await t.fetchAs('editor', `/api/v1/queries/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json', 'if-none-match': '*' }, body: JSON.stringify(QUERY) });
    expect(put.status).toBe(201);
  }
  for (;;) {
    const s = Execution.parse(await (await t.fetchAs('editor', `/api/v1/executions/${executionId}`)).json());
    if (s.state === 'SUCCEEDED') break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const run = await t.fetchAs('editor', '/api/v1/reports/access_risk/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ days: 7 }) });
  runId = ReportRunStarted.parse(await run.json()).runId;
  for (;;) {
    const summary = ReportSummary.parse(await (await t.fetchAs('editor', '/api/v1/reports/access_risk')).json());
    const state = summary.states.find((w) => w.days === 7)!;
    if (state.state === 'READY' && state.lastReadyRunId === runId) break;
    if (state.state === 'FAILED') throw new Error(`fixture report run failed: ${state.error?.detail}`);
    await new Promise((r) => setTimeout(r, 50));
  }
});
afterAll(async () => {
  await t?.close();
});

/** Every route registered on an Express router, as `METHOD /path`. */
function registeredRoutes(router: Router): string[] {
  const out: string[] = [];
  const walk = (stack: Router['stack']) => {
    for (const layer of stack) {
      if (layer.route) {
        const methods = Object.keys((layer.route as unknown as { methods: Record<string, boolean> }).methods).filter((m) => m !== '_all');
        for (const m of methods) out.push(`${m.toUpperCase()} ${layer.route.path}`);
      } else if ((layer.handle as unknown as { stack?: Router['stack'] }).stack) {
        walk((layer.handle as unknown as { stack: Router['stack'] }).stack);
      }
    }
  };
  walk(router.stack);
  return out;
}

describe('the permission table', () => {
  it('has an entry for every route the API router registers, and a route for every entry', async () => {
    const { createLocalIdentityStub } = await stubs();
    const router = createApiRouter(createLocalIdentityStub);
    const routes = registeredRoutes(router);
    const table = ROUTE_TABLE.map((e) => `${e.method} ${e.path}`);
    expect(routes.length).toBeGreaterThan(8);
    for (const r of routes) expect(table, `route ${r} has no ROUTE_TABLE entry`).toContain(r);
    for (const e of new Set(table)) expect(routes, `ROUTE_TABLE entry ${e} has no route`).toContain(e);
  });

  it('is described in the OpenAPI document, served without signing in', async () => {
    const res = await fetch(`${t.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
    for (const e of ROUTE_TABLE) {
      const p = `/api/v1${e.path.replace(/:(\w+)/g, '{$1}')}`;
      expect(doc.paths[p]?.[e.method.toLowerCase()], `${e.method} ${p} missing from OpenAPI`).toBeDefined();
    }
  });
});

// Exact status per route and user. auditor: list/read/use on reports and queries; editor: everything;
// visitor: no roles; ghost: an unknown role (grants nothing); runner: custom role allowing * but denying
// use on security_report and update/delete on audit_query; reporter: list/read/use on security_report and
// list/read on audit_query, but no use on audit_query (may not run queries nor read raw events).
type Who = TestUser | 'anonymous';
type Case = {
  name: string;
  method: string;
  path: (who: Who) => string;
  body?: unknown;
  /** A body per user, when they must not collide (report windows). */
  bodyFor?: (who: Who) => unknown;
  headers?: () => Promise<Record<string, string>>;
  expect: Record<Who, number>;
};
const QUERY = { title: 'Root sessions', sql: "SELECT count(*) FROM session_start WHERE login = 'root'", days: 7 };
const RULE = { source: { finding: 'access_risk/logins_without_mfa' }, schedule: { interval: '1h' }, enabled: false };
const etagOf = async (name: string) => (await t.fetchAs('editor', `/api/v1/queries/${name}`)).headers.get('etag')!;
const CASES: Case[] = [
  { name: 'me', method: 'GET', path: () => '/api/v1/me', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 200, ghost: 200, runner: 200, reporter: 200 } },
  { name: 'schema', method: 'GET', path: () => '/api/v1/schema', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 200, reporter: 403 } },
  { name: 'own history', method: 'GET', path: () => '/api/v1/executions', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 200, reporter: 403 } },
  { name: "everyone's history", method: 'GET', path: () => '/api/v1/executions?mine=false', expect: { anonymous: 401, auditor: 403, editor: 200, visitor: 403, ghost: 403, runner: 403, reporter: 403 } },
  { name: 'start', method: 'POST', path: () => '/api/v1/executions', body: { sql: 'SELECT 1 AS one', days: 7 }, expect: { anonymous: 401, auditor: 202, editor: 202, visitor: 403, ghost: 403, runner: 202, reporter: 403 } },
  { name: 'status', method: 'GET', path: () => `/api/v1/executions/${executionId}`, expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 200, reporter: 403 } },
  { name: 'results', method: 'GET', path: () => `/api/v1/executions/${executionId}/results`, expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 200, reporter: 403 } },
  { name: 'csv', method: 'GET', path: () => `/api/v1/executions/${executionId}/results.csv`, expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 200, reporter: 403 } },
  // The editor's own execution: the owner cancels it; others need update on audit_query even to stop a finished one.
  { name: 'cancel', method: 'DELETE', path: () => `/api/v1/executions/${executionId}`, expect: { anonymous: 401, auditor: 403, editor: 202, visitor: 403, ghost: 403, runner: 403, reporter: 403 } },
  { name: 'list saved queries', method: 'GET', path: () => '/api/v1/queries', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 200, reporter: 200 } },
  { name: 'view a saved query', method: 'GET', path: () => '/api/v1/queries/fixture-query', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 200, reporter: 200 } },
  { name: 'revisions', method: 'GET', path: () => '/api/v1/queries/fixture-query/revisions', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 200, reporter: 200 } },
  {
    name: 'create a saved query',
    method: 'PUT',
    path: (who) => `/api/v1/queries/made-by-${who}`,
    body: QUERY,
    headers: async () => ({ 'if-none-match': '*' }),
    expect: { anonymous: 401, auditor: 403, editor: 201, visitor: 403, ghost: 403, runner: 201, reporter: 403 },
  },
  {
    name: 'update a saved query',
    method: 'PUT',
    path: () => '/api/v1/queries/fixture-query',
    body: QUERY,
    headers: async () => ({ 'if-match': await etagOf('fixture-query') }),
    expect: { anonymous: 401, auditor: 403, editor: 200, visitor: 403, ghost: 403, runner: 403, reporter: 403 },
  },
  { name: 'delete a saved query', method: 'DELETE', path: () => '/api/v1/queries/fixture-doomed', expect: { anonymous: 401, auditor: 403, editor: 204, visitor: 403, ghost: 403, runner: 403, reporter: 403 } },
  { name: 'list deleted saved queries', method: 'GET', path: () => '/api/v1/queries?deleted=true', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 200, reporter: 200 } },
  {
    // The runner may create too, but the editor restored the tombstone first: its If-Match is stale by then.
    name: 'restore a deleted saved query',
    method: 'POST',
    path: () => '/api/v1/queries/fixture-doomed/restore',
    body: { revision: 1 },
    headers: async () => ({ 'if-match': '"fixture-doomed.r2"' }),
    expect: { anonymous: 401, auditor: 403, editor: 201, visitor: 403, ghost: 403, runner: 409, reporter: 403 },
  },
  { name: 'usage overview', method: 'GET', path: () => '/api/v1/usage/overview?days=7', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 403, reporter: 200 } },
  // Reports: list/read to see them; use to run them, read their runs, rows and evidence, and drill into timelines.
  { name: 'list reports', method: 'GET', path: () => '/api/v1/reports', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 200, reporter: 200 } },
  { name: 'view a report', method: 'GET', path: () => '/api/v1/reports/access_risk', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 200, reporter: 200 } },
  { name: 'view an audit query', method: 'GET', path: () => '/api/v1/reports/access_risk/queries/role_changes', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 200, reporter: 200 } },
  // Each user asks for a window nobody ran yet: a re-run within a minute of a finished one is refused (429).
  {
    name: 'run a report',
    method: 'POST',
    path: (who) => `/api/v1/reports/${who === 'editor' ? 'privilege_access_report' : 'access_risk'}/runs`,
    bodyFor: (who) => ({ days: who === 'reporter' ? 90 : 30 }),
    expect: { anonymous: 401, auditor: 202, editor: 202, visitor: 403, ghost: 403, runner: 403, reporter: 202 },
  },
  { name: 'report run history', method: 'GET', path: () => '/api/v1/reports/access_risk/runs?days=7', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 403, reporter: 200 } },
  { name: 'a run', method: 'GET', path: () => `/api/v1/runs/${runId}`, expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 403, reporter: 200 } },
  { name: 'a finding\'s rows', method: 'GET', path: () => `/api/v1/runs/${runId}/queries/role_changes/rows`, expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 403, reporter: 200 } },
  { name: 'a finding\'s CSV', method: 'GET', path: () => `/api/v1/runs/${runId}/queries/role_changes/rows.csv`, expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 403, reporter: 200 } },
  { name: 'evidence', method: 'GET', path: () => `/api/v1/runs/${runId}/evidence.zip`, expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 403, reporter: 200 } },
  // Triage: the exceptions are read with the results (use); marking an entity needs update on security_report.
  { name: 'triage in force', method: 'GET', path: () => '/api/v1/reports/access_risk/triage', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 403, reporter: 200 } },
  { name: 'triage log', method: 'GET', path: () => '/api/v1/reports/access_risk/triage?log=true', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 403, reporter: 200 } },
  {
    name: 'triage a finding',
    method: 'PUT',
    path: () => '/api/v1/reports/access_risk/findings/logins_without_mfa/triage',
    body: { entity: { user: 'alice' }, status: 'false_positive', reason: 'shared test account' },
    expect: { anonymous: 401, auditor: 403, editor: 201, visitor: 403, ghost: 403, runner: 201, reporter: 403 },
  },
  // Response actions: list/read to see rules and firings (auditors have them); create/update/delete to manage, preview and fire,
  // plus use on security_report and audit_query (a rule reads the audit log): the runner, denied use on reports, may not.
  { name: 'list response actions', method: 'GET', path: () => '/api/v1/actions', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 200, reporter: 403 } },
  { name: 'destinations', method: 'GET', path: () => '/api/v1/actions/destinations', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 200, reporter: 403 } },
  { name: 'view a response action', method: 'GET', path: () => '/api/v1/actions/fixture-rule', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 200, reporter: 403 } },
  { name: 'response action revisions', method: 'GET', path: () => '/api/v1/actions/fixture-rule/revisions', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 200, reporter: 403 } },
  { name: 'firings', method: 'GET', path: () => '/api/v1/actions/fixture-rule/firings', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 200, reporter: 403 } },
  {
    name: 'create a response action',
    method: 'PUT',
    path: (who) => `/api/v1/actions/rule-by-${who}`,
    body: RULE,
    headers: async () => ({ 'if-none-match': '*' }),
    expect: { anonymous: 401, auditor: 403, editor: 201, visitor: 403, ghost: 403, runner: 403, reporter: 403 },
  },
  {
    name: 'update a response action',
    method: 'PUT',
    path: () => '/api/v1/actions/fixture-rule',
    body: RULE,
    headers: async () => ({ 'if-match': (await t.fetchAs('editor', '/api/v1/actions/fixture-rule')).headers.get('etag')! }),
    expect: { anonymous: 401, auditor: 403, editor: 200, visitor: 403, ghost: 403, runner: 403, reporter: 403 },
  },
  // The editor deletes it first; the runner then finds nothing to delete.
  { name: 'delete a response action', method: 'DELETE', path: () => '/api/v1/actions/fixture-rule-doomed', expect: { anonymous: 401, auditor: 403, editor: 200, visitor: 403, ghost: 403, runner: 404, reporter: 403 } },
  { name: 'preview a response action', method: 'POST', path: () => '/api/v1/actions/preview', body: RULE, expect: { anonymous: 401, auditor: 403, editor: 200, visitor: 403, ghost: 403, runner: 403, reporter: 403 } },
  { name: 'test-fire a response action', method: 'POST', path: () => '/api/v1/actions/fixture-rule/firings', body: { test: true }, expect: { anonymous: 401, auditor: 403, editor: 201, visitor: 403, ghost: 403, runner: 403, reporter: 403 } },
  // A public key: `access-monitor verify --server URL` fetches it without signing in.
  { name: 'evidence key', method: 'GET', path: () => '/api/v1/evidence/public-key', expect: { anonymous: 200, auditor: 200, editor: 200, visitor: 200, ghost: 200, runner: 200, reporter: 200 } },
  // Raw events of any user: use on security_report (the drill-down) and use on audit_query (it reads the audit log).
  { name: 'timeline', method: 'GET', path: () => '/api/v1/timeline?user=alice&days=7', expect: { anonymous: 401, auditor: 200, editor: 200, visitor: 403, ghost: 403, runner: 403, reporter: 403 } },
  { name: 'openapi', method: 'GET', path: () => '/api/v1/openapi.json', expect: { anonymous: 200, auditor: 200, editor: 200, visitor: 200, ghost: 200, runner: 200, reporter: 200 } },
  { name: 'unknown route', method: 'GET', path: () => '/api/v1/secret-admin', expect: { anonymous: 404, auditor: 404, editor: 404, visitor: 404, ghost: 404, runner: 404, reporter: 404 } },
];

describe('route × role matrix', () => {
  for (const c of CASES) {
    it(`${c.method} ${c.name}`, async () => {
      for (const [who, status] of Object.entries(c.expect) as Array<[TestUser | 'anonymous', number]>) {
        const body = c.bodyFor ? c.bodyFor(who) : c.body;
        const headers = { ...(body ? { 'content-type': 'application/json' } : {}), ...(await c.headers?.()) };
        const init: RequestInit = { method: c.method, headers, ...(body ? { body: JSON.stringify(body) } : {}) };
        const res = who === 'anonymous' ? await fetch(`${t.url}${c.path(who)}`, init) : await t.fetchAs(who, c.path(who), init);
        expect(res.status, `${who} → ${c.method} ${c.path(who)}`).toBe(status);
        if (status === 403) {
          expect(res.headers.get('content-type')).toMatch(/problem\+json/);
          const p = (await res.json()) as { type: string; detail: string };
          expect(p.type).toBe(ProblemTypes.forbidden);
          expect(p.detail).toMatch(/on (audit_query|security_report)/);
        } else if (status === 401) {
          expect(((await res.json()) as { type: string }).type).toBe(ProblemTypes.unauthenticated);
        } else {
          await res.arrayBuffer();
        }
      }
    });
  }

  it('reports the verbs each role holds, so the dashboard can hide what is not allowed', async () => {
    const me = async (u: TestUser) => (await (await t.fetchAs(u, '/api/v1/me')).json()) as { roles: string[]; verbs: Record<string, string[]> };
    expect((await me('auditor')).verbs).toEqual({ security_report: ['list', 'read', 'use'], audit_query: ['list', 'read', 'use'], response_action: ['list', 'read'] });
    expect((await me('visitor')).verbs).toEqual({ security_report: [], audit_query: [], response_action: [] });
    expect((await me('ghost')).roles).toEqual(['no-such-role']);
    expect((await me('runner')).verbs.audit_query).toEqual(['list', 'read', 'use', 'create']);
    // No teleport.proxy_url in this config: the dashboard gets no session player and shows no 'Play in Teleport' link.
    expect(await me('auditor')).not.toHaveProperty('sessionPlayer');
  });
});

describe('hardening', () => {
  it('refuses cross-origin writes and accepts same-origin ones', async () => {
    const body = JSON.stringify({ sql: 'SELECT 1', days: 7 });
    const evil = await t.fetchAs('auditor', '/api/v1/executions', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body });
    expect(evil.status).toBe(403);
    const site = await t.fetchAs('auditor', '/api/v1/executions', { method: 'POST', headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }, body });
    expect(site.status).toBe(403);
    const own = await t.fetchAs('auditor', '/api/v1/executions', { method: 'POST', headers: { 'content-type': 'application/json', origin: t.url, 'sec-fetch-site': 'same-origin' }, body });
    expect(own.status).toBe(202);
    const login = await fetch(`${t.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: JSON.stringify({ username: 'auditor', password: TEST_PASSWORD }) });
    expect(login.status).toBe(403);
  });

  it('answers oversized and malformed bodies with problems', async () => {
    const big = await t.fetchAs('auditor', '/api/v1/executions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: `SELECT '${'x'.repeat(300_000)}'`, days: 7 }) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { type: string }).type).toBe(ProblemTypes.payloadTooLarge);
  });

  it('sends a CSP that allows no inline script, and security headers', async () => {
    const res = await fetch(`${t.url}/api/v1/openapi.json`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    // Styles only from the app, or with this response's nonce (the SQL editor's generated stylesheet).
    expect(csp).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/]{22}=='(;|$)/);
    const next = (await fetch(`${t.url}/api/v1/openapi.json`)).headers.get('content-security-policy')!;
    expect(next).not.toBe(csp);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('never logs passwords, session cookies or result rows', async () => {
    const secretSql = "SELECT 'row-value-7f3a' AS canary";
    const res = await t.fetchAs('auditor', '/api/v1/executions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: secretSql, days: 7 }) });
    const { id } = Execution.parse(await res.json());
    for (;;) {
      const s = Execution.parse(await (await t.fetchAs('auditor', `/api/v1/executions/${id}`)).json());
      if (s.state !== 'QUEUED' && s.state !== 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await (await t.fetchAs('auditor', `/api/v1/executions/${id}/results`)).text();
    await fetch(`${t.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'auditor', password: 'wrong-password-canary' }) });
    const cookie = await loginCookie();
    expect((await fetch(`${t.url}/api/v1/me`, { headers: { cookie } })).status).toBe(200);
    const logs = t.logs.join('');
    expect(logs).toContain(id);
    expect(logs).not.toContain(TEST_PASSWORD);
    expect(logs).not.toContain('wrong-password-canary');
    expect(logs).not.toContain(cookie.split('=')[1]!);
    expect(logs).not.toMatch(/"row-value-7f3a"|row-value-7f3a"\]/);
    expect(logs).not.toMatch(/am_session=/);
  });

  it('serves liveness, readiness and Prometheus metrics, the metrics only with the configured bearer token', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${t.url}/readyz`)).json()).toEqual({ status: 'ready' });
    const anonymous = await fetch(`${t.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await anonymous.text()).not.toMatch(/access_monitor_/);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } })).status).toBe(401);
    expect((await t.fetchAs('editor', '/metrics')).status).toBe(401); // a session is not a scrape credential
    const metrics = await (await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(metrics).toMatch(/access_monitor_http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/executions"/);
    expect(metrics).toMatch(/access_monitor_executions_finished_total\{engine="duckdb",state="SUCCEEDED"\} [1-9]/);
    expect(metrics).toMatch(/access_monitor_bytes_scanned_total\{engine="duckdb"\} [1-9]/);
  });
});

describe('hardening against a client that forges headers or keeps a cookie', () => {
  it('ignores X-Forwarded-For from a peer that is not a configured proxy: a new forwarded address per guess still hits 429', async () => {
    const guess = (i: number) =>
      fetch(`${t.url}/api/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` },
        body: JSON.stringify({ username: 'mallory', password: `guess-${i}` }),
      });
    for (let i = 0; i < 5; i++) expect((await guess(i)).status).toBe(401);
    const limited = await guess(5);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { type: string }).type).toBe(ProblemTypes.tooManyRequests);
  });

  it('does not believe X-Forwarded-Proto from an untrusted peer: no Secure cookie over plain http', async () => {
    const res = await fetch(`${t.url}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ username: 'auditor', password: TEST_PASSWORD }),
    });
    const setCookie = res.headers.getSetCookie()[0]!;
    expect(setCookie).toMatch(/^am_session=/);
    expect(setCookie).not.toContain('Secure');
  });

  it('refuses a cookie after its session signed out, even though it is still signed and unexpired', async () => {
    const cookie = await loginCookie();
    expect((await fetch(`${t.url}/api/v1/me`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${t.url}/api/v1/logout`, { method: 'POST', headers: { cookie } })).status).toBe(204);
    const me = await fetch(`${t.url}/api/v1/me`, { headers: { cookie } });
    expect(me.status).toBe(401);
    expect(((await me.json()) as { type: string }).type).toBe(ProblemTypes.unauthenticated);
    expect((await fetch(`${t.url}/api/v1/executions/${executionId}/results.csv`, { headers: { cookie } })).status).toBe(401);
  });

  it('marks every API answer holding audit data Cache-Control: no-store', async () => {
    for (const p of [
      `/api/v1/executions/${executionId}`,
      `/api/v1/executions/${executionId}/results`,
      `/api/v1/executions/${executionId}/results.csv`,
      `/api/v1/runs/${runId}/queries/role_changes/rows`,
      `/api/v1/runs/${runId}/queries/role_changes/rows.csv`,
      `/api/v1/runs/${runId}/evidence.zip`,
      '/api/v1/timeline?user=alice&days=7',
      '/api/v1/usage/overview?days=7',
    ]) {
      const res = await t.fetchAs('editor', p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('cache-control'), p).toBe('no-store');
      await res.arrayBuffer();
    }
  });
});

describe('behind a configured proxy, without a metrics token', () => {
  let proxied: TestServer;
  beforeAll(async () => {
    proxied = await startTestServer({ days: 1, events: 50, server: { trustedProxies: ['127.0.0.1'] } });
  });
  afterAll(async () => {
    await proxied?.close();
  });

  const login = (headers: Record<string, string>, password = TEST_PASSWORD) =>
    fetch(`${proxied.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username: 'auditor', password }) });

  it('takes the client address and https from the trusted proxy: per-client limits and a Secure __Host- cookie', async () => {
    for (let i = 0; i < 5; i++) expect((await login({ 'x-forwarded-for': '198.51.100.7' }, 'wrong-password')).status).toBe(401);
    expect((await login({ 'x-forwarded-for': '198.51.100.7' })).status).toBe(429);
    // Another client behind the same proxy has its own budget.
    const other = await login({ 'x-forwarded-for': '198.51.100.8', 'x-forwarded-proto': 'https' });
    expect(other.status).toBe(200);
    const setCookie = other.headers.getSetCookie()[0]!;
    expect(setCookie).toMatch(/^__Host-am_session=/);
    expect(setCookie).toContain('Secure');
  });

  it('answers /metrics 404 when no bearer token is configured', async () => {
    const res = await fetch(`${proxied.url}/metrics`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/access_monitor_/);
  });
});

async function loginCookie(): Promise<string> {
  const res = await fetch(`${t.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'editor', password: TEST_PASSWORD }) });
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** The router needs its dependencies only to be built, not to serve: minimal stand-ins for the walk. */
async function stubs() {
  const { embeddedConfig } = await import('../config/load-config');
  const { createMetrics } = await import('../metrics/metrics');
  const { createRoleRegistry } = await import('@access-monitor/rbac');
  const { pino } = await import('pino');
  const { Router } = await import('express');
  return {
    createLocalIdentityStub: {
      config: embeddedConfig({ eventsDir: '/nonexistent', resultsDir: '/nonexistent', usersFile: '/nonexistent' }),
      engine: t.engine,
      store: {} as never,
      identity: { mode: 'local' as const, authenticate: async () => null, publicRoutes: () => {
        const r = Router();
        r.post('/login', () => undefined);
        r.post('/logout', () => undefined);
        return r;
      } },
      roles: createRoleRegistry([]),
      logger: pino({ level: 'silent' }),
      metrics: createMetrics(),
      now: () => new Date(),
    },
  };
}
