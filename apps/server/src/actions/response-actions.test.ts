import { createHmac } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActionPreview, Firing, FiringList, ProblemTypes, ResponseAction, ResponseActionList, type SaveResponseAction } from '@access-monitor/contracts';
import { createActionServices } from './action-services';
import { actionKeys } from '../store-layout';
import { startReceiver, type LoopbackReceiver } from './delivery/loopback-receiver';
import { createTriage } from '../triage/triage-store';
import { expectProblem } from '../testing/expect-problem';
import { startTestServer, type TestServer } from '../testing/test-server';
import { weakSshSession } from '../testing/weak-ssh-session';

// A hand-built audit log around the test server's today (2026-01-14): SSH sessions with weak security.
const ssh = weakSshSession;
const HOSTILE_USER = `mallory"; rm -rf / #$(id) \`x\``;
const FIXTURE = [ssh('alice', '2026-01-12T10:00:00.000Z'), ssh('bob', '2026-01-13T10:00:00.000Z'), ssh(HOSTILE_USER, '2026-01-13T11:00:00.000Z'), ssh('dave', '2026-01-13T12:00:00.000Z', { with_mfa: 'totp' })];
const WEAK_SSH = 'privilege_access_report/ssh_sessions_with_weak_security';
const SECRET = 'a-webhook-secret-of-32-characters';

const json = (method: string, body: unknown, headers: Record<string, string> = {}) => ({ method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const rule = (over: Partial<SaveResponseAction> = {}): SaveResponseAction => ({
  description: 'weak SSH',
  source: { finding: WEAK_SSH },
  window: '7d',
  schedule: { interval: '1h' },
  condition: { new_rows: {} },
  notifications: [{ name: 'soc', recipients: [] }],
  enabled: true,
  ...over,
});

let clockMs = Date.parse('2026-01-14T12:00:00.000Z');
let receiver: LoopbackReceiver;
let answers: number[] = [];
let t: TestServer;

beforeAll(async () => {
  receiver = await startReceiver((_req, res, n) => {
    res.statusCode = answers[n] ?? 200;
    res.end('ok');
  });
  t = await startTestServer({
    fixture: FIXTURE,
    clock: () => new Date(clockMs),
    actions: {
      allowed_hosts: ['127.0.0.1'],
      allow_private_addresses: true,
      delivery: { timeout: 5_000, max_attempts: 3, initial_backoff: 5, max_backoff: 20, max_response_bytes: 65_536 },
      destinations: {
        soc: { type: 'webhook', url: `${receiver.origin}/hook`, secret: SECRET },
        dead: { type: 'webhook', url: 'http://127.0.0.1:9/hook', secret: SECRET },
      },
    },
  });
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});
afterEach(() => {
  answers = [];
  receiver.requests.length = 0;
});

async function create(name: string, body: SaveResponseAction, user: 'editor' | 'auditor' = 'editor'): Promise<Response> {
  return t.fetchAs(user, `/api/v1/actions/${name}`, json('PUT', body, { 'if-none-match': '*' }));
}

async function fire(name: string, test = false): Promise<Firing> {
  const res = await t.fetchAs('editor', `/api/v1/actions/${name}/firings`, json('POST', { test }));
  expect(res.status).toBe(201);
  return Firing.parse(await res.json());
}

describe('response actions', () => {
  it('fires a finding to a webhook with an HMAC of the raw body and the firing id as Idempotency-Key, retrying a 500', async () => {
    expect((await create('weak-ssh', rule())).status).toBe(201);
    answers = [500, 200];
    const firing = await fire('weak-ssh', true);
    expect(firing.state).toBe('DELIVERED');
    expect(firing.sentRows).toBe(3); // alice, bob and the hostile user; dave used MFA
    expect(firing.deliveries[0]!.attempts.map((a) => a.statusCode)).toEqual([500, 200]);
    expect(receiver.requests).toHaveLength(2);
    const [first, second] = receiver.requests;
    expect(first!.headers['idempotency-key']).toBe(firing.id);
    expect(second!.headers['idempotency-key']).toBe(firing.id);
    const expected = `sha256=${createHmac('sha256', SECRET).update(second!.body).digest('hex')}`;
    expect(second!.headers['x-access-monitor-signature']).toBe(expected);
    const payload = JSON.parse(second!.body.toString('utf8')) as { total_new_rows: number; rows: Array<{ user: string }> };
    expect(payload.total_new_rows).toBe(3);
    expect(payload.rows.map((r) => r.user).sort()).toEqual(['alice', 'bob', HOSTILE_USER].sort());
    // The history shows it, newest first.
    const history = FiringList.parse(await (await t.fetchAs('auditor', '/api/v1/actions/weak-ssh/firings')).json());
    expect(history.firings[0]).toMatchObject({ id: firing.id, state: 'DELIVERED' });
  });

  it('sends only rows never sent before: the second scheduled firing of the same data sends nothing', async () => {
    await create('weak-ssh-sched', rule());
    const scheduled = await t.actions.firings.fire(ResponseAction.parse(await (await t.fetchAs('editor', '/api/v1/actions/weak-ssh-sched')).json()), 'schedule', new Date(clockMs));
    expect(scheduled).toMatchObject({ state: 'DELIVERED', sentRows: 3 });
    const again = await t.actions.firings.fire(ResponseAction.parse(await (await t.fetchAs('editor', '/api/v1/actions/weak-ssh-sched')).json()), 'schedule', new Date(clockMs + 3_600_000));
    expect(again).toMatchObject({ state: 'NOTHING_TO_SEND', totalRows: 3, sentRows: 0 });
    expect(receiver.requests).toHaveLength(1);
  });

  it('fires a rule once per slot with two instances sharing one store, and a missed slot once', async () => {
    clockMs = Date.parse('2026-01-14T12:10:00.000Z');
    await create('once-per-slot', rule({ condition: { row_count_at_least: 1 } }));
    clockMs = Date.parse('2026-01-14T15:30:00.000Z'); // slots 13:00, 14:00 and 15:00 were missed
    const other = createActionServices({
      store: t.store,
      executions: t.executions,
      catalog: t.reports.catalog,
      triage: createTriage(t.store, () => new Date(clockMs), { maxAcceptedRiskDays: 90 }),
      config: { ...t.config, reports: { ...t.config.reports, instanceId: 'instance-b' } },
      logger: pino({ level: 'silent' }),
      now: () => new Date(clockMs),
    });
    const ticks = await Promise.all([t.actions.scheduler.tick(), other.scheduler.tick(), t.actions.scheduler.tick(), other.scheduler.tick()]);
    expect(ticks.reduce((n, x) => n + x.started, 0)).toBeGreaterThanOrEqual(1);
    await Promise.all([t.actions.scheduler.drain(), other.scheduler.drain()]);
    const firings = FiringList.parse(await (await t.fetchAs('editor', '/api/v1/actions/once-per-slot/firings')).json()).firings.filter((f) => f.trigger === 'schedule');
    expect(firings.map((f) => f.slot)).toEqual(['2026-01-14T15:00:00.000Z']);
    expect(receiver.requests.filter((r) => r.headers['idempotency-key'] === firings[0]!.id)).toHaveLength(1);
    // Disabled from here on, so later tests' ticks leave it alone.
    const current = await t.fetchAs('editor', '/api/v1/actions/once-per-slot');
    await t.fetchAs('editor', '/api/v1/actions/once-per-slot', json('PUT', { ...rule({ condition: { row_count_at_least: 1 } }), enabled: false }, { 'if-match': current.headers.get('etag')! }));
    clockMs = Date.parse('2026-01-14T12:00:00.000Z');
  });

  it('leaves out entities triaged as accepted risk, and sends them again once the exception expires', async () => {
    const triage = await t.fetchAs(
      'editor',
      '/api/v1/reports/privilege_access_report/findings/ssh_sessions_with_weak_security/triage',
      json('PUT', { entity: { user: 'alice' }, status: 'accepted_risk', reason: 'break-glass account, reviewed', expires: '2026-01-15' }),
    );
    expect(triage.status).toBe(201);
    await create('triaged', rule());
    const preview = ActionPreview.parse(await (await t.fetchAs('editor', '/api/v1/actions/preview', json('POST', { ...rule(), name: undefined }))).json());
    expect(preview).toMatchObject({ totalRows: 3, suppressedRows: 1, sendRows: 2, keyColumns: ['user'], repeatedRows: 0, alreadySentRows: 0 });
    const action = ResponseAction.parse(await (await t.fetchAs('editor', '/api/v1/actions/triaged')).json());
    const during = await t.actions.firings.fire(action, 'schedule', new Date(clockMs));
    expect(during).toMatchObject({ state: 'DELIVERED', totalRows: 3, suppressedRows: 1, sentRows: 2 });
    expect((JSON.parse(receiver.requests.at(-1)!.body.toString('utf8')) as { rows: Array<{ user: string }> }).rows.map((r) => r.user)).not.toContain('alice');
    clockMs = Date.parse('2026-01-16T12:00:00.000Z'); // the day after the exception's last day; alice's session (01-12) is still in the 7 days
    try {
      const after = await t.actions.firings.fire(action, 'schedule', new Date(clockMs));
      expect(after).toMatchObject({ state: 'DELIVERED', suppressedRows: 0, sentRows: 1 });
      expect((JSON.parse(receiver.requests.at(-1)!.body.toString('utf8')) as { rows: Array<{ user: string }> }).rows.map((r) => r.user)).toEqual(['alice']);
    } finally {
      clockMs = Date.parse('2026-01-14T12:00:00.000Z');
    }
  });

  it('locks each offending user with tctl through an argument array, a hostile name arriving as one argument', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-tctl-'));
    try {
      const log = path.join(dir, 'calls.jsonl');
      const tctl = path.join(dir, 'tctl');
      await writeFile(tctl, `#!/usr/bin/env node\nrequire('node:fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');\n`);
      await chmod(tctl, 0o755);
      const services = createActionServices({
        store: t.store,
        executions: t.executions,
        catalog: t.reports.catalog,
        triage: { inForce: async () => new Map() },
        config: { ...t.config, actions: { ...t.config.actions, tctl: { path: tctl } } },
        logger: pino({ level: 'silent' }),
        now: () => new Date(clockMs),
      });
      await create('lock-weak-ssh', rule({ notifications: [], response: { teleport_lock: { ttl: '12h', message: 'weak SSH', dry_run: false } } }));
      const action = ResponseAction.parse(await (await t.fetchAs('editor', '/api/v1/actions/lock-weak-ssh')).json());
      const firing = (await services.firings.fire(action, 'manual', new Date(clockMs)))!;
      expect(firing.responses.map((r) => [r.user, r.dryRun, r.exitCode])).toEqual(
        expect.arrayContaining([
          ['alice', false, 0],
          ['bob', false, 0],
          [HOSTILE_USER, false, 0],
        ]),
      );
      const calls = (await readFile(log, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as string[]);
      expect(calls).toHaveLength(3);
      expect(calls).toContainEqual(['lock', `--user=${HOSTILE_USER}`, '--message=weak SSH', '--ttl=12h']);
      // A test fire of the same rule never locks: it records what would have run.
      const test = (await services.firings.fire(action, 'test', new Date(clockMs)))!;
      expect(test.responses.every((r) => r.dryRun && r.exitCode === null)).toBe(true);
      expect((await readFile(log, 'utf8')).trimEnd().split('\n')).toHaveLength(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('ends PARTIALLY_DELIVERED when one destination cannot be reached, after its retries', async () => {
    await create('two-destinations', rule({ notifications: [{ name: 'soc', recipients: [] }, { name: 'dead', recipients: [] }] }));
    const firing = await fire('two-destinations', true);
    expect(firing.state).toBe('PARTIALLY_DELIVERED');
    const dead = firing.deliveries.find((d) => d.destination === 'dead')!;
    expect(dead.state).toBe('FAILED');
    expect(dead.attempts).toHaveLength(3);
    expect(dead.attempts[0]!.statusCode).toBeUndefined();
  });

  it('re-delivers a firing interrupted after its rows were computed under the same id, never under a new one', async () => {
    await create('crashy', rule());
    const action = ResponseAction.parse(await (await t.fetchAs('editor', '/api/v1/actions/crashy')).json());
    // What a process killed between writing its rows and delivering leaves behind: a RUNNING firing of a dead
    // instance, and its sent rows.
    const suffix = actionKeys.scheduledSuffix(new Date('2026-01-14T11:00:00.000Z'));
    const id = `crashy:${suffix}`;
    const stale = { id, rule: 'crashy', ruleRevision: 1, trigger: 'schedule', slot: '2026-01-14T11:00:00.000Z', state: 'RUNNING', window: { start: '2026-01-08', end: '2026-01-14' }, startedAt: '2026-01-14T11:00:01.000Z', totalRows: 3, suppressedRows: 0, sentRows: 1, deliveries: [], responses: [], owner: { instance: 'gone', process: 'gone', heartbeatAt: '2026-01-14T11:00:01.000Z' } };
    await t.store.put(actionKeys.firing('crashy', suffix), JSON.stringify(stale));
    await t.store.put(actionKeys.sent('crashy', suffix), JSON.stringify({ firingId: id, columns: ['user'], keys: ['k-bob'], rows: [{ user: 'bob' }], totalNewRows: 1, lockUsers: ['bob'] }));
    const recovered = await t.actions.firings.recover([action]);
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ id, state: 'DELIVERED' });
    expect(receiver.requests.map((r) => r.headers['idempotency-key'])).toEqual([id]);
    // Recovery is done once: a second pass finds nothing to do.
    expect(await t.actions.firings.recover([action])).toEqual([]);
  });
});

describe('response actions from the denied side and with bad input', () => {
  it('lets auditors list rules and firings but not create, change, fire or delete them', async () => {
    expect((await create('auditor-rule', rule(), 'auditor')).status).toBe(403);
    expect((await t.fetchAs('auditor', '/api/v1/actions')).status).toBe(200);
    expect(ResponseActionList.parse(await (await t.fetchAs('auditor', '/api/v1/actions')).json()).actions.length).toBeGreaterThan(0);
    expect((await t.fetchAs('auditor', '/api/v1/actions/weak-ssh/firings', json('POST', { test: true }))).status).toBe(403);
    expect((await t.fetchAs('auditor', '/api/v1/actions/weak-ssh', { method: 'DELETE' })).status).toBe(403);
    expect((await t.fetchAs('auditor', '/api/v1/actions/preview', json('POST', rule()))).status).toBe(403);
    expect((await t.fetchAs('visitor', '/api/v1/actions')).status).toBe(403);
    const destinations = await (await t.fetchAs('auditor', '/api/v1/actions/destinations')).text();
    expect(destinations).toContain('"soc"');
    expect(destinations).not.toContain(SECRET);
    expect(destinations).not.toContain('/hook');
  });

  it.each([
    ['an invalid cron', { schedule: { cron: '61 9 * * *' } }, 'schedule.cron'],
    ['a cron with 4 fields', { schedule: { cron: '0 9 * *' } }, 'schedule.cron'],
    ['an unknown finding', { source: { finding: 'privilege_access_report/no_such_finding' } }, 'source.finding'],
    ['an unknown report', { source: { finding: 'no_report/x' } }, 'source.finding'],
    ['an unknown saved query', { source: { audit_query: 'no-such-query' } }, 'source.audit_query'],
    ['a window Teleport does not have', { window: '14d' }, 'window'],
    ['a destination not declared', { notifications: [{ name: 'nowhere', recipients: [] }] }, 'notifications.0.name'],
    ['a lock on rows without a user column', { source: { finding: 'privilege_access_report/instance_join_token_less_than_1d' }, response: { teleport_lock: { ttl: '1h', dry_run: true } } }, 'response.teleport_lock'],
  ])('refuses %s with a 400 naming the field', async (_what, change, field) => {
    const problem = await expectProblem(await create('bad-rule', { ...rule(), ...change } as SaveResponseAction), 400, ProblemTypes.invalidRequest);
    expect(problem.errors?.map((e) => e.path)).toContain(field);
    expect((await t.fetchAs('editor', '/api/v1/actions/bad-rule')).status).toBe(404);
  });

  it('refuses a conflicting edit with 409 and the current revision, and keeps both revisions', async () => {
    await create('conflicted', rule());
    const etag = (await t.fetchAs('editor', '/api/v1/actions/conflicted')).headers.get('etag')!;
    const first = await t.fetchAs('editor', '/api/v1/actions/conflicted', json('PUT', rule({ description: 'first' }), { 'if-match': etag }));
    expect(first.status).toBe(200);
    const second = await expectProblem(await t.fetchAs('editor', '/api/v1/actions/conflicted', json('PUT', rule({ description: 'second' }), { 'if-match': etag })), 409, ProblemTypes.conflict);
    expect(second.currentRevision).toBe(2);
    const revisions = (await (await t.fetchAs('editor', '/api/v1/actions/conflicted/revisions')).json()) as { revisions: ResponseAction[] };
    expect(revisions.revisions.map((r) => r.description)).toEqual(['weak SSH', 'first']);
  });

  it('skips a corrupt rule object, naming it, and keeps firing the others', async () => {
    await t.store.put('actions/rules/corrupt/rev-00000001.json', '{"name": "corrupt", "not a rule": true}');
    const listed = ResponseActionList.parse(await (await t.fetchAs('editor', '/api/v1/actions')).json());
    expect(listed.actions.map((a) => a.action.name)).not.toContain('corrupt');
    const tick = await t.actions.scheduler.tick();
    expect(tick.rules).toBeGreaterThan(0);
    await t.actions.scheduler.drain();
    expect(t.logs.some((l) => l.includes('actions/rules/corrupt/rev-00000001.json') && l.includes('corrupt'))).toBe(true);
  });
});
