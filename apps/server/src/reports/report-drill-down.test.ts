import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '@access-monitor/audit-log';
import { ProblemTypes, ReportRun, ReportRunStarted, ReportSummary, Timeline } from '@access-monitor/contracts';
import { startTestServer, type TestServer } from '../testing/test-server';

// A hand-built audit log around the 7-day window 2026-01-08 … 2026-01-14 (the test server's today),
// whose previous window is 2026-01-01 … 2026-01-07.
const OBRIEN = "o'brien";
const HOSTILE = "'; DROP TABLE audit_events; --";
let uid = 0;
const base = (event: string, code: string, time: string, fields: Record<string, unknown>): AuditEvent => ({
  ei: 0,
  event,
  uid: `00000000-0000-4000-8000-${String(++uid).padStart(12, '0')}`,
  code,
  time,
  cluster_name: 'acme.teleport.sh',
  ...fields,
});
/** An SSH session with weak security: no MFA, access request, impersonator or trusted device. */
const ssh = (user: string, time: string, sid: string, extra: Record<string, unknown> = {}) =>
  base('session.start', 'T2000I', time, { user, sid, login: 'root', server_hostname: 'web-01', server_id: 'srv-1', proto: 'ssh', 'addr.remote': '198.51.100.20:53124', ...extra });

const FIXTURE: AuditEvent[] = [
  ssh('alice', '2026-01-03T10:00:00.000Z', 'sa'), // previous window only → resolved
  base('user.login', 'T1000I', '2026-01-02T07:00:00.000Z', { user: OBRIEN, method: 'local', success: true }), // before the window
  ssh('bob', '2026-01-05T10:00:00.000Z', 'sb1'), // both windows → persisting
  base('user.login', 'T1000I', '2026-01-09T08:00:00.000Z', { user: OBRIEN, method: 'local', success: true, mfa_device: { mfa_device_name: 'yubikey', mfa_device_uuid: 'u-1', mfa_device_type: 'WebAuthn' } }),
  ssh(OBRIEN, '2026-01-09T08:05:00.000Z', 's-obrien'), // current only → new
  base('session.end', 'T2004I', '2026-01-09T08:30:00.000Z', { user: OBRIEN, sid: 's-obrien', server_hostname: 'web-01', interactive: true, participants: [OBRIEN] }),
  ssh('bob', '2026-01-10T10:00:00.000Z', 'sb2'),
  base('db.session.start', 'TDB00I', '2026-01-10T09:00:00.000Z', { user: OBRIEN, sid: 's-db', db_service: 'pg-prod', db_protocol: 'postgres', db_user: 'postgres', db_name: 'orders', success: true, with_mfa: 'yubikey' }),
  base('user.login', 'T1000W', '2026-01-11T06:00:00.000Z', { user: OBRIEN, method: 'local', success: false, error: 'invalid credentials' }),
  ssh('dave', '2026-01-11T11:00:00.000Z', 'sd', { with_mfa: 'totp' }), // MFA: no finding
  ssh('carol', '2026-01-12T10:00:00.000Z', 'sc'), // current only → new
  base('user.login', 'T1000I', '2026-01-12T12:00:00.000Z', { user: HOSTILE, method: 'local', success: true }),
];

let t: TestServer;
let run: ReportRun;
beforeAll(async () => {
  t = await startTestServer({ fixture: FIXTURE });
  const res = await t.fetchAs('auditor', '/api/v1/reports/privilege_access_report/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ days: 7 }) });
  const { runId } = ReportRunStarted.parse(await res.json());
  for (;;) {
    const summary = ReportSummary.parse(await (await t.fetchAs('auditor', '/api/v1/reports/privilege_access_report')).json());
    if (summary.states[0]!.state !== 'RUNNING') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  run = ReportRun.parse(await (await t.fetchAs('auditor', `/api/v1/runs/${runId}`)).json());
});
afterAll(async () => {
  await t?.close();
});

describe('period diff', () => {
  it('calls an entity only in the previous window resolved, only in this one new, in both persisting', () => {
    const ssh = run.queries.find((q) => q.id === 'ssh_sessions_with_weak_security')!;
    expect(ssh.rowCount).toBe(3); // o'brien, bob, carol; dave used MFA
    expect(ssh.diff).toEqual({
      previousWindow: { start: '2026-01-01', end: '2026-01-07' },
      entityColumns: ['user'],
      newCount: 2,
      resolvedCount: 1,
      persistingCount: 1,
      new: [{ user: 'carol' }, { user: OBRIEN }],
      resolved: [{ user: 'alice' }],
      persisting: [{ user: 'bob' }],
      // The previous window holds events on 3 of its 7 days: the UI withholds the comparison.
      previousComplete: false,
      findingKind: 'condition',
    });
    const root = run.queries.find((q) => q.id === 'session_start_root_user')!;
    expect(root.chart).toEqual([
      { event_date: '2026-01-09', count: 1, series: OBRIEN },
      { event_date: '2026-01-10', count: 1, series: 'bob' },
      { event_date: '2026-01-11', count: 1, series: 'dave' },
      { event_date: '2026-01-12', count: 1, series: 'carol' },
    ]);
  });

  it('lists the days of the window without any event', () => {
    expect(run.completeness).toEqual({
      daysWithData: [
        { date: '2026-01-09', events: 3 },
        { date: '2026-01-10', events: 2 },
        { date: '2026-01-11', events: 2 },
        { date: '2026-01-12', events: 2 },
      ],
      missingDays: ['2026-01-08', '2026-01-13', '2026-01-14'],
    });
  });
});

describe('timeline', () => {
  const timeline = async (query: string) => {
    const res = await t.fetchAs('auditor', `/api/v1/timeline?${query}`);
    expect(res.status).toBe(200);
    return Timeline.parse(await res.json());
  };

  it("shows a user's events in the window, oldest first, each summarised, with MFA where the event tells", async () => {
    const tl = await timeline(new URLSearchParams({ user: OBRIEN, days: '7' }).toString());
    expect(tl.window).toEqual({ start: '2026-01-08', end: '2026-01-14' });
    expect(tl.subject).toEqual({ user: OBRIEN });
    expect(tl.totalEvents).toBe(5);
    expect(tl.events.map((e) => [e.event_time, e.event_type, e.code, e.summary, e.mfa])).toEqual([
      ['2026-01-09T08:00:00.000Z', 'user.login', 'T1000I', 'login (local) with MFA', true],
      ['2026-01-09T08:05:00.000Z', 'session.start', 'T2000I', 'ssh session on web-01 as root', false],
      ['2026-01-09T08:30:00.000Z', 'session.end', 'T2004I', 'session ended on web-01', null],
      ['2026-01-10T09:00:00.000Z', 'db.session.start', 'TDB00I', 'db session to pg-prod as postgres database orders', true],
      ['2026-01-11T06:00:00.000Z', 'user.login', 'T1000W', 'login failed (local): invalid credentials', null],
    ]);
    expect(tl.events[1]).toMatchObject({ user: OBRIEN, session_id: 's-obrien' });
    expect(JSON.parse(tl.events[1]!.event_data)).toMatchObject({ event: 'session.start', sid: 's-obrien' });

    const first = await timeline(new URLSearchParams({ user: OBRIEN, days: '7', limit: '1' }).toString());
    const page = await timeline(new URLSearchParams({ user: OBRIEN, days: '7', cursor: first.next!, limit: '2' }).toString());
    expect(page.position).toBe(1);
    expect(page.totalEvents).toBe(5);
    expect(page.events.map((e) => e.event_type)).toEqual(['session.start', 'session.end']);
  });

  it("shows one session's events", async () => {
    const tl = await timeline('session=s-obrien&days=7');
    expect(tl.subject).toEqual({ session: 's-obrien' });
    expect(tl.events.map((e) => e.event_type)).toEqual(['session.start', 'session.end']);
  });

  it('treats a user value with quotes and SQL as a plain name', async () => {
    const hostile = await timeline(new URLSearchParams({ user: HOSTILE, days: '7' }).toString());
    expect(hostile.events.map((e) => [e.user, e.event_type])).toEqual([[HOSTILE, 'user.login']]);
    // The table is still there.
    expect((await timeline(new URLSearchParams({ user: OBRIEN, days: '7' }).toString())).totalEvents).toBe(5);
    const nobody = await timeline(new URLSearchParams({ user: "x' OR '1'='1", days: '7' }).toString());
    expect(nobody.totalEvents).toBe(0);
  });

  it('refuses a request without exactly one subject, or outside the report windows', async () => {
    expect((await t.fetchAs('auditor', '/api/v1/timeline?days=7')).status).toBe(400);
    expect((await t.fetchAs('auditor', '/api/v1/timeline?user=a&session=b&days=7')).status).toBe(400);
    const res = await t.fetchAs('auditor', '/api/v1/timeline?user=a&days=14');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { type: string }).type).toBe(ProblemTypes.invalidWindow);
  });

  it('is refused to a user without use on security_report', async () => {
    for (const who of ['runner', 'visitor'] as const) {
      const res = await t.fetchAs(who, `/api/v1/timeline?user=${encodeURIComponent(OBRIEN)}&days=7`);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { type: string }).type).toBe(ProblemTypes.forbidden);
    }
  });
});
