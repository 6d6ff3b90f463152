import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Execution, ProblemTypes, ReportList, isTerminalState } from '@access-monitor/contracts';
import { ROUTE_TABLE, type RouteEntry } from '../http/route-table';
import { startTestServer, type TestServer } from '../testing/test-server';
import { LONG, recordFigures } from './reliability-figures';

// Malformed percent-encoding in a path, a JSON body in a charset other than UTF-8 and a Content-Encoding the
// body does not have are in the mix: they are refused before any handler runs, and must still be a 4xx problem.

const RUNS_PER_ROUTE = LONG ? 250 : 40;
const SEED = Number(process.env.RELIABILITY_SEED ?? (LONG ? Date.now() : 20260114));
const PROBLEM_TYPES = new Set<string>(Object.values(ProblemTypes));
const WINDOW_FINDING = 'privilege_access_report/ssh_sessions_with_weak_security';

let t: TestServer;
/** Real values per path parameter, so some requests reach the handlers behind the lookups. */
const known: Record<string, string[]> = {};
const figures = { routes: 0, cases: 0, byStatus: {} as Record<string, number>, problemTypes: [] as string[], seed: SEED };
const seenTypes = new Set<string>();

/** Bodies a client of each write route would send: fuzzing mutates them field by field. */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  'POST /login': { username: 'editor', password: 'wrong password' },
  'POST /executions': { sql: 'SELECT count(*) AS n FROM session_start', days: 7 },
  'PUT /queries/:name': { title: 'fuzz', sql: 'SELECT 1 AS x', days: 7 },
  'POST /queries/:name/restore': { revision: 1 },
  'POST /reports/:name/runs': { days: 7 },
  'PUT /reports/:name/findings/:id/triage': { entity: { user: 'alice' }, status: 'false_positive', reason: 'fuzz' },
  'POST /actions/preview': { source: { finding: WINDOW_FINDING }, schedule: { interval: '1h' } },
  'PUT /actions/:name': { source: { finding: WINDOW_FINDING }, schedule: { cron: '0 * * * *' } },
  'POST /actions/:name/firings': { test: true },
};

const QUERY_KEYS = ['mine', 'q', 'limit', 'offset', 'deleted', 'days', 'end', 'start', 'raw', 'log', 'user', 'session'];
const QUERY_VALUES = ['true', 'false', '7', '30', '90', '120', '0', '-1', '1e3', '1.5', 'NaN', '2026-01-14', '2026-02-30', '9999-12-31', '', ' ', 'null', '[]', 'x'.repeat(300)];

/** Any string as a URL path segment: its UTF-8 bytes, percent-encoded (always decodable). */
const encodeSegment = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 });

function segment(param: string): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...(known[param] ?? ['x'])), weight: 4 },
    fc.string({ unit: 'binary', maxLength: 60 }).map(encodeSegment),
    fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).map((s) => encodeURIComponent(s)),
    fc.constantFrom('..', '.', '%2e%2e', '%00', 'a%2Fb', '%2F..%2F..%2Fetc%2Fpasswd', 'new', 'x'.repeat(2000), '%EF%BF%BD', '%F0%9F%92%A9', 'privilege_access_report%00', '*', '~', '%20', '%E0%A4%A', '%', '%zz'),
  );
}

function queryString(): fc.Arbitrary<string> {
  const pair = fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 20 })), fc.oneof(fc.constantFrom(...QUERY_VALUES), fc.string({ unit: 'grapheme', maxLength: 60 })));
  return fc.oneof({ arbitrary: fc.constant(''), weight: 2 }, fc.array(pair, { minLength: 1, maxLength: 6 })).map((pairs) => (typeof pairs === 'string' ? [] : pairs)).map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : ''));
}

/** A valid body with one field replaced, removed or added; or any JSON; or text that is not JSON. */
function body(entry: RouteEntry): fc.Arbitrary<string | undefined> {
  const valid = VALID_BODIES[`${entry.method} ${entry.path}`];
  const anyJson = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v));
  const broken = fc.constantFrom('', '{', '{"a":', 'null', '[]', '"x"', '1e999', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', `${'['.repeat(5000)}${']'.repeat(5000)}`, '\ufeff{}');
  const options: Array<fc.WeightedArbitrary<string | undefined>> = [
    { arbitrary: anyJson, weight: 1 },
    { arbitrary: broken, weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  ];
  if (valid) {
    const keys = [...Object.keys(valid), 'extra', 'schedule', 'source', 'entity'];
    options.push({
      weight: 5,
      arbitrary: fc
        .tuple(fc.constantFrom(...keys), fc.option(fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.record({ cron: fc.string({ maxLength: 40 }) }), fc.record({ finding: fc.string({ maxLength: 40 }) }))))
        .map(([key, value]) => {
          const next: Record<string, unknown> = { ...valid };
          if (value === null) delete next[key];
          else next[key] = value;
          return JSON.stringify(next);
        }),
    });
    options.push({ arbitrary: fc.constant(JSON.stringify(valid)), weight: 2 });
  }
  return fc.oneof(...options);
}

function headers(entry: RouteEntry): fc.Arbitrary<Record<string, string>> {
  return fc.record(
    {
      'if-match': fc.oneof(fc.constant('*'), fc.constant('"fuzz-base.r1"'), printable),
      'if-none-match': fc.oneof(fc.constant('*'), printable),
      'idempotency-key': printable,
      'content-encoding': fc.constantFrom('gzip', 'br', 'deflate', 'identity', 'x-unknown'),
      'content-type': fc.oneof(
        { arbitrary: fc.constant('application/json'), weight: 6 },
        fc.constantFrom('application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'),
      ),
    },
    { requiredKeys: entry.method === 'GET' ? [] : ['content-type'] },
  );
}

async function send(method: string, pathname: string, init: { body?: string; headers: Record<string, string> }, anonymous: boolean): Promise<void> {
  const request = { method, headers: init.headers, ...(init.body !== undefined && method !== 'GET' && method !== 'HEAD' ? { body: init.body } : {}) };
  const res = anonymous ? await fetch(`${t.url}/api/v1${pathname}`, request) : await t.fetchAs('editor', `/api/v1${pathname}`, request);
  const text = await res.text();
  figures.cases++;
  figures.byStatus[res.status] = (figures.byStatus[res.status] ?? 0) + 1;
  const where = `${method} ${pathname.slice(0, 200)} ${JSON.stringify(init).slice(0, 300)}`;
  expect(res.status, `${where} → ${text.slice(0, 300)}`).toBeLessThan(500);
  if (res.status >= 400 && method !== 'HEAD') {
    expect(res.headers.get('content-type'), where).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(text) as { type: string; status: number };
    expect(PROBLEM_TYPES.has(problem.type), `${where}: type ${problem.type}`).toBe(true);
    expect(problem.status).toBe(res.status);
    seenTypes.add(problem.type);
  }
}

beforeAll(async () => {
  t = await startTestServer({ days: 10, events: 1000 });
  const json = (method: string, b: unknown, h: Record<string, string> = {}) => ({ method, headers: { 'content-type': 'application/json', ...h }, body: JSON.stringify(b) });
  expect((await t.fetchAs('editor', '/api/v1/queries/fuzz-base', json('PUT', VALID_BODIES['PUT /queries/:name'], { 'if-none-match': '*' }))).status).toBe(201);
  const rule = await t.fetchAs('editor', '/api/v1/actions/fuzz-rule', json('PUT', { source: { finding: WINDOW_FINDING }, schedule: { interval: '1h' } }, { 'if-none-match': '*' }));
  expect(rule.status).toBe(201);
  const reports = ReportList.parse(await (await t.fetchAs('editor', '/api/v1/reports')).json()).reports;
  const report = reports[0]!;
  const run = (await (await t.fetchAs('editor', `/api/v1/reports/${report.name}/runs`, json('POST', { days: 7 }))).json()) as { runId: string };
  await t.reports.runs.settled(report.name, 7);
  let execution = Execution.parse(await (await t.fetchAs('editor', '/api/v1/executions', json('POST', VALID_BODIES['POST /executions']))).json());
  while (!isTerminalState(execution.state)) {
    await new Promise((r) => setTimeout(r, 20));
    execution = Execution.parse(await (await t.fetchAs('editor', `/api/v1/executions/${execution.id}`)).json());
  }
  known.name = ['fuzz-base', 'fuzz-rule', ...reports.map((r) => r.name)];
  known.id = [execution.id, ...report.queries.map((q) => q.id)];
  known.runId = [run.runId];
});
afterAll(async () => {
  figures.problemTypes = [...seenTypes].map((type) => type.replace(/.*\//, '')).sort();
  await recordFigures('api-fuzz', figures);
  await t?.close();
});

const ROUTES = [...new Map(ROUTE_TABLE.map((r) => [`${r.method} ${r.path}`, r])).values()];

describe('fuzzed API input', () => {
  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s never answers 5xx, and every refusal is problem+json with a known type', async (_label, entry) => {
    figures.routes++;
    const params = [...entry.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const pathArb = fc.tuple(...params.map(segment)).map((values) => values.reduce((p, v, i) => p.replace(`:${params[i]!}`, v), entry.path));
    // Signing in and out are public: fuzz them without the session, which a logout would revoke.
    const anonymous = entry.path === '/login' || entry.path === '/logout';
    await fc.assert(
      fc.asyncProperty(params.length ? pathArb : fc.constant(entry.path), queryString(), body(entry), headers(entry), async (pathname, query, b, h) => {
        await send(entry.method, `${pathname}${query}`, { ...(b !== undefined ? { body: b } : {}), headers: h }, anonymous);
      }),
      { numRuns: RUNS_PER_ROUTE, seed: SEED, endOnFailure: true },
    );
  });

  it('answers an unknown route or method with a problem, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
        fc.array(fc.string({ unit: 'binary', maxLength: 30 }).map(encodeSegment), { minLength: 1, maxLength: 5 }),
        async (method, segments) => {
          await send(method, `/${segments.join('/')}`, { headers: { 'content-type': 'application/json' }, body: '{}' }, false);
        },
      ),
      { numRuns: RUNS_PER_ROUTE * 4, seed: SEED, endOnFailure: true },
    );
  });
});
