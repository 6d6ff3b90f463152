import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Firing, FiringList, ReportRunList, ReportRunStarted, RevisionList, SavedQuery, type Problem, type SaveResponseAction } from '@access-monitor/contracts';
import { startReceiver, type LoopbackReceiver } from '../actions/delivery/loopback-receiver';
import { startTestServer, type TestServer } from '../testing/test-server';
import { recordFigures } from './reliability-figures';

const REPORT = 'privilege_access_report';
const FINDING = `${REPORT}/ssh_sessions_with_weak_security`;
const SAVES = 50;

let stateDir: string;
let a: TestServer;
let b: TestServer;
let receiver: LoopbackReceiver;
let clockMs = Date.parse('2026-01-14T12:00:00.000Z');
const figures = { instances: 2, saves: 0, saveConflictsRetried: 0, revisions: 0, concurrentRunRequests: 0, runsStarted: 0, manualFirings: 0, scheduledTicks: 0, scheduledFirings: 0 };

const json = (method: string, body: unknown, headers: Record<string, string> = {}) => ({ method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-shared-store-'));
  receiver = await startReceiver((_req, res) => res.end('ok'));
  const common = {
    days: 10,
    events: 3000,
    stateDir,
    clock: () => new Date(clockMs),
    actions: {
      allowed_hosts: ['127.0.0.1'],
      allow_private_addresses: true,
      destinations: { soc: { type: 'webhook' as const, url: `${receiver.origin}/hook`, secret: 'a-webhook-secret-of-32-characters' } },
    },
  };
  // Instances on different hosts have different names; two on one host need reports.instance_id.
  [a, b] = await Promise.all([startTestServer({ ...common, reports: { instanceId: 'instance-a' } }), startTestServer({ ...common, reports: { instanceId: 'instance-b' } })]);
  // Sign in once per user before the bursts, so the bursts are only the calls under test.
  for (const t of [a, b]) for (const user of ['editor', 'auditor'] as const) expect((await t.fetchAs(user, '/api/v1/me')).status).toBe(200);
});
afterAll(async () => {
  await recordFigures('two-instances', figures);
  await Promise.all([a?.close(), b?.close()]);
  await receiver?.close();
  await rm(stateDir, { recursive: true, force: true, maxRetries: 3 });
});

describe('two instances on one store', () => {
  it(`keeps every one of ${SAVES} concurrent saves of one query as its own revision, losing and duplicating none`, async () => {
    const base = { sql: 'SELECT count(*) AS n FROM session_start', days: 7 };
    expect((await a.fetchAs('editor', '/api/v1/queries/shared', json('PUT', { ...base, title: 'save 0' }, { 'if-none-match': '*' }))).status).toBe(201);

    // Each writer saves from the revision it last saw; on 409 it takes the current ETag from the problem and saves again.
    const acknowledged: Array<{ revision: number; title: string }> = [];
    const save = async (i: number) => {
      const instance = i % 2 === 0 ? a : b;
      let etag = '"shared.r1"';
      for (let attempt = 0; attempt < 10 * SAVES; attempt++) {
        const res = await instance.fetchAs('editor', '/api/v1/queries/shared', json('PUT', { ...base, title: `save ${i + 1}` }, { 'if-match': etag }));
        if (res.status === 200) {
          const saved = SavedQuery.parse(await res.json());
          acknowledged.push({ revision: saved.revision, title: saved.title });
          return;
        }
        expect(res.status).toBe(409);
        figures.saveConflictsRetried++;
        etag = ((await res.json()) as Problem).currentEtag!;
        await new Promise((r) => setTimeout(r, Math.random() * 20 * Math.min(attempt + 1, 10)));
      }
      throw new Error(`save ${i + 1} never went through`);
    };
    await Promise.all(Array.from({ length: SAVES }, (_, i) => save(i)));
    figures.saves = acknowledged.length;

    const revisions = RevisionList.parse(await (await b.fetchAs('auditor', '/api/v1/queries/shared/revisions')).json()).revisions;
    figures.revisions = revisions.length;
    expect(revisions.map((r) => r.revision).sort((x, y) => x - y)).toEqual(Array.from({ length: SAVES + 1 }, (_, i) => i + 1));
    // Every acknowledged save is the revision it was told it is; no revision was written twice.
    const byRevision = new Map(revisions.map((r) => [r.revision, r.title]));
    for (const saved of acknowledged) expect(byRevision.get(saved.revision)).toBe(saved.title);
    expect(new Set(revisions.map((r) => r.title)).size).toBe(SAVES + 1);
    // Both instances serve the same latest revision.
    const [fromA, fromB] = await Promise.all([a.fetchAs('auditor', '/api/v1/queries/shared'), b.fetchAs('auditor', '/api/v1/queries/shared')]);
    expect(fromA.headers.get('etag')).toBe(`"shared.r${SAVES + 1}"`);
    expect(fromB.headers.get('etag')).toBe(fromA.headers.get('etag'));
  });

  it('creates a new query once when both instances race to create it', async () => {
    const create = (t: TestServer, i: number) => t.fetchAs('editor', '/api/v1/queries/raced', json('PUT', { title: `create ${i}`, sql: 'SELECT 1 AS x' }, { 'if-none-match': '*' }));
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => create(i % 2 ? a : b, i)));
    expect(answers.map((r) => r.status).sort()).toEqual([201, ...Array<number>(19).fill(409)]);
    expect(RevisionList.parse(await (await a.fetchAs('auditor', '/api/v1/queries/raced/revisions')).json()).revisions).toHaveLength(1);
  });

  it('starts one report run for a window however many requests both instances get at once', async () => {
    const start = (t: TestServer) => t.fetchAs('auditor', `/api/v1/reports/${REPORT}/runs`, json('POST', { days: 7 }));
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => start(i % 2 ? a : b)));
    figures.concurrentRunRequests = answers.length;
    expect(answers.every((r) => r.status === 202)).toBe(true);
    const started = await Promise.all(answers.map(async (r) => ReportRunStarted.parse(await r.json())));
    expect(new Set(started.map((s) => s.runId)).size).toBe(1);
    expect(started.filter((s) => !s.joined)).toHaveLength(1);
    await Promise.all([a.reports.runs.settled(REPORT, 7), b.reports.runs.settled(REPORT, 7)]);
    const runs = ReportRunList.parse(await (await b.fetchAs('auditor', `/api/v1/reports/${REPORT}/runs?days=7`)).json()).runs;
    figures.runsStarted = runs.length;
    expect(runs.map((r) => r.runId)).toEqual([started[0]!.runId]);
    const manifests: string[] = [];
    for await (const o of a.store.list('runs/')) if (o.key.endsWith('/manifest.json')) manifests.push(o.key);
    expect(manifests).toEqual([`runs/${started[0]!.runId}/manifest.json`]);
  });

  it('fires a scheduled rule once per slot from both schedulers, and keeps every manual firing from both', async () => {
    clockMs = Date.parse('2026-01-14T12:10:00.000Z');
    const rule: SaveResponseAction = { description: '', source: { finding: FINDING }, window: '7d', schedule: { interval: '1h' }, condition: { row_count_at_least: 1 }, notifications: [{ name: 'soc', recipients: [] }], enabled: true };
    expect((await a.fetchAs('editor', '/api/v1/actions/shared-rule', json('PUT', rule, { 'if-none-match': '*' }))).status).toBe(201);

    const manual = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).fetchAs('editor', '/api/v1/actions/shared-rule/firings', json('POST', { test: true }))));
    expect(manual.map((r) => r.status)).toEqual(Array<number>(10).fill(201));
    const manualIds = await Promise.all(manual.map(async (r) => Firing.parse(await r.json()).id));
    figures.manualFirings = manualIds.length;

    // Three slots later, each scheduler ticks four times at once with the other's.
    for (const at of ['2026-01-14T15:30:00.000Z', '2026-01-14T16:05:00.000Z', '2026-01-14T17:01:00.000Z']) {
      clockMs = Date.parse(at);
      await Promise.all([a.actions.scheduler.tick(), b.actions.scheduler.tick(), a.actions.scheduler.tick(), b.actions.scheduler.tick()]);
      figures.scheduledTicks += 4;
      await Promise.all([a.actions.scheduler.drain(), b.actions.scheduler.drain()]);
    }
    const firings = FiringList.parse(await (await b.fetchAs('editor', '/api/v1/actions/shared-rule/firings')).json()).firings;
    const scheduled = firings.filter((f) => f.trigger === 'schedule');
    figures.scheduledFirings = scheduled.length;
    expect(scheduled.map((f) => f.slot).sort()).toEqual(['2026-01-14T15:00:00.000Z', '2026-01-14T16:00:00.000Z', '2026-01-14T17:00:00.000Z']);
    expect(firings.filter((f) => f.trigger !== 'schedule').map((f) => f.id).sort()).toEqual([...manualIds].sort());
    // Each firing was delivered once (its id is the delivery's Idempotency-Key).
    const keys = receiver.requests.map((r) => String(r.headers['idempotency-key']));
    expect(keys.sort()).toEqual(firings.map((f) => f.id).sort());
  });
});
