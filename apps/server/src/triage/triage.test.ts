import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FindingRowsPage, ProblemTypes, ReportRun, ReportRunStarted, ReportSummary, TriageList, TriageRecord, type SaveTriage } from '@access-monitor/contracts';
import { EvidenceManifest } from '../evidence/evidence-manifest';
import { verifyEvidence } from '../evidence/verify-evidence';
import { expectProblem } from '../testing/expect-problem';
import { startTestServer, type TestServer, type TestUser } from '../testing/test-server';
import { weakSshSession } from '../testing/weak-ssh-session';

// SSH sessions without MFA in the 7-day window ending 2026-01-14 (the test server's today): bob twice, carol once.
const FIXTURE = [weakSshSession('bob', '2026-01-09T10:00:00.000Z', { sid: 'sb1' }), weakSshSession('carol', '2026-01-10T10:00:00.000Z', { sid: 'sc' }), weakSshSession('bob', '2026-01-12T10:00:00.000Z', { sid: 'sb2' })];

const REPORT = 'privilege_access_report';
const SSH = 'ssh_sessions_with_weak_security';
const TRIAGE_PATH = `/api/v1/reports/${REPORT}/findings/${SSH}/triage`;

let t: TestServer;
let runId: string;
beforeAll(async () => {
  t = await startTestServer({ fixture: FIXTURE });
  const res = await t.fetchAs('auditor', `/api/v1/reports/${REPORT}/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ days: 7 }) });
  runId = ReportRunStarted.parse(await res.json()).runId;
  for (;;) {
    const summary = ReportSummary.parse(await (await t.fetchAs('auditor', `/api/v1/reports/${REPORT}`)).json());
    if (summary.states[0]!.state !== 'RUNNING') break;
    await new Promise((r) => setTimeout(r, 50));
  }
});
afterAll(async () => {
  await t?.close();
});

const put = (who: TestUser, body: unknown, path = TRIAGE_PATH) =>
  t.fetchAs(who, path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const sshOfRun = async () => ReportRun.parse(await (await t.fetchAs('auditor', `/api/v1/runs/${runId}`)).json()).queries.find((q) => q.id === SSH)!;
const rowsPage = async () => FindingRowsPage.parse(await (await t.fetchAs('auditor', `/api/v1/runs/${runId}/queries/${SSH}/rows`)).json());
const listed = async (query = '') => TriageList.parse(await (await t.fetchAs('auditor', `/api/v1/reports/${REPORT}/triage${query}`)).json()).triage;
const ACCEPT_BOB: SaveTriage = { entity: { user: 'bob' }, status: 'accepted_risk', reason: 'migration host, MFA lands next sprint', expires: '2026-02-13' };

describe('triage over HTTP', () => {
  it('refuses an auditor (list, read and use only) and writes nothing', async () => {
    const p = await expectProblem(await put('auditor', ACCEPT_BOB), 403, ProblemTypes.forbidden);
    expect(p.detail).toContain('update on security_report');
    expect(await listed('?log=true')).toEqual([]);
  });

  it('names the field a triage is refused for', async () => {
    const late = await expectProblem(await put('editor', { ...ACCEPT_BOB, expires: '2026-04-15' }), 400, ProblemTypes.invalidRequest);
    expect(late.errors?.map((e) => e.path)).toEqual(['expires']);
    expect(late.detail).toContain('2026-04-14'); // the latest day allowed: today + 90
    const missing = await expectProblem(await put('editor', { ...ACCEPT_BOB, expires: undefined }), 400, ProblemTypes.invalidRequest);
    expect(missing.errors?.map((e) => e.path)).toEqual(['expires']);
    const entity = await expectProblem(await put('editor', { ...ACCEPT_BOB, entity: { user: 'bob', login: 'root' } }), 400, ProblemTypes.invalidRequest);
    expect(entity.errors?.map((e) => e.path)).toEqual(['entity']);
    expect(entity.detail).toContain('user');
    await expectProblem(await put('editor', ACCEPT_BOB, `/api/v1/reports/${REPORT}/findings/no_such_finding/triage`), 404, ProblemTypes.notFound);
    await expectProblem(await put('editor', ACCEPT_BOB, `/api/v1/reports/no_such_report/findings/${SSH}/triage`), 404, ProblemTypes.notFound);
  });

  it('lets an editor accept a risk: the finding counts it triaged, its rows carry the exception, the report lists it', async () => {
    const before = await sshOfRun();
    expect([before.rowCount, before.openRowCount, before.triagedRowCount]).toEqual([3, 3, 0]);

    const res = await put('editor', ACCEPT_BOB);
    expect(res.status).toBe(201);
    const record = TriageRecord.parse(await res.json());
    expect(record).toMatchObject({ report: REPORT, finding: SSH, entity: { user: 'bob' }, status: 'accepted_risk', expires: '2026-02-13', revision: 1, savedBy: 'editor' });

    const after = await sshOfRun();
    expect([after.rowCount, after.openRowCount, after.triagedRowCount]).toEqual([3, 1, 2]);
    const page = await rowsPage();
    expect(page.entityColumns).toEqual(['user']);
    const userAt = page.columns.findIndex((c) => c.name === 'user');
    expect(page.rows.map((row, i) => [row[userAt], page.triage![i]?.status ?? null])).toEqual([
      ['bob', 'accepted_risk'],
      ['carol', null],
      ['bob', 'accepted_risk'],
    ]);
    expect((await listed()).map((r) => r.entityKey)).toEqual(['["bob"]']);
  });

  it('lists the exceptions in force in the evidence, signed with the rest', async () => {
    const zip = new Uint8Array(await (await t.fetchAs('auditor', `/api/v1/runs/${runId}/evidence.zip`)).arrayBuffer());
    const { manifest } = verifyEvidence(zip);
    expect(EvidenceManifest.parse(manifest).files.map((f) => f.path)).toContain('triage.json');
    const triage = JSON.parse(strFromU8(unzipSync(zip)['triage.json']!)) as { report: string; exceptions: TriageRecord[] };
    expect(triage.report).toBe(REPORT);
    expect(triage.exceptions.map((e) => [e.entity, e.status, e.expires, e.savedBy])).toEqual([[{ user: 'bob' }, 'accepted_risk', '2026-02-13', 'editor']]);
  });

  it('reopens: the rows count as open again and the log keeps both revisions, newest first', async () => {
    expect((await put('editor', { entity: { user: 'bob' }, status: 'open', reason: 'MFA did not land' })).status).toBe(201);
    const ssh = await sshOfRun();
    expect([ssh.openRowCount, ssh.triagedRowCount]).toEqual([3, 0]);
    expect((await rowsPage()).triage).toEqual([null, null, null]);
    expect(await listed()).toEqual([]);
    expect((await listed('?log=true')).map((r) => [r.revision, r.status])).toEqual([
      [2, 'open'],
      [1, 'accepted_risk'],
    ]);
  });
});
