import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '@access-monitor/audit-log';
import { Execution, ReportRunStarted, ReportSummary } from '@access-monitor/contracts';
import { EvidenceManifest } from '../evidence/evidence-manifest';
import { startTestServer, type TestServer } from '../testing/test-server';
import { weakSshSession } from '../testing/weak-ssh-session';

// An attacker who can write audit events (a Teleport user name, a node's host name) chooses cell text
// that a spreadsheet would run as a formula when someone opens the download.
const EVIL_USER = '=HYPERLINK("http://evil.example","click")';
const EVIL_HOST = "+cmd|' /C calc'!A0";
const SAFE_USER = `'${EVIL_USER}`;
const SAFE_HOST = `'${EVIL_HOST}`;
/** The cells as Athena's CSV writes them (quotes doubled): what must never reach a person's spreadsheet. */
const RAW_USER_CELL = `"${EVIL_USER.replaceAll('"', '""')}"`;
const RAW_HOST_CELL = `"${EVIL_HOST}"`;

const FIXTURE: AuditEvent[] = [
  weakSshSession(EVIL_USER, '2026-01-12T10:00:00.000Z', { server_hostname: EVIL_HOST, sid: 's-evil' }),
  weakSshSession('bob', '2026-01-13T10:00:00.000Z', { server_hostname: '-web-01', sid: 's-bob' }),
];
const FINDING = 'ssh_sessions_with_weak_security';

let t: TestServer;
let runId: string;
let executionId: string;

beforeAll(async () => {
  t = await startTestServer({ fixture: FIXTURE });
  const started = await t.fetchAs('auditor', '/api/v1/reports/privilege_access_report/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ days: 7 }) });
  runId = ReportRunStarted.parse(await started.json()).runId;
  for (;;) {
    const summary = ReportSummary.parse(await (await t.fetchAs('auditor', '/api/v1/reports/privilege_access_report')).json());
    if (summary.states[0]!.state !== 'RUNNING') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const sql = 'SELECT "user", server_hostname FROM session_start ORDER BY event_time';
  const res = await t.fetchAs('auditor', '/api/v1/executions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql, days: 7 }) });
  executionId = Execution.parse(await res.json()).id;
  for (;;) {
    const e = Execution.parse(await (await t.fetchAs('auditor', `/api/v1/executions/${executionId}`)).json());
    if (e.state === 'SUCCEEDED') break;
    if (e.state !== 'QUEUED' && e.state !== 'RUNNING') throw new Error(`fixture query ended ${e.state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
});
afterAll(async () => {
  await t?.close();
});

describe('CSV downloads meant for people', () => {
  it("neutralise an attacker's formula in an execution's result, and ?raw=true gives the stored bytes exactly", async () => {
    const res = await t.fetchAs('auditor', `/api/v1/executions/${executionId}/results.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const csv = await res.text();
    expect(csv).toBe(`"user","server_hostname"\n"${SAFE_USER.replaceAll('"', '""')}","${SAFE_HOST}"\n"bob","'-web-01"\n`);
    expect(csv).not.toContain(`\n${RAW_USER_CELL}`);

    const raw = await t.fetchAs('auditor', `/api/v1/executions/${executionId}/results.csv?raw=true`);
    const stored = await readFile(path.join(t.stateDir, 'query-results', `${executionId}.csv`));
    expect(Buffer.from(await raw.arrayBuffer()).equals(stored)).toBe(true);
    expect(stored.toString('utf8')).toContain(`${RAW_USER_CELL},${RAW_HOST_CELL}`);
  });

  it("neutralise a finding's rows, and ?raw=true gives the run's stored bytes exactly", async () => {
    const res = await t.fetchAs('auditor', `/api/v1/runs/${runId}/queries/${FINDING}/rows.csv`);
    expect(res.status).toBe(200);
    const csv = await res.text();
    expect(csv).toContain(`"${SAFE_USER.replaceAll('"', '""')}"`);
    expect(csv).toContain(`"${SAFE_HOST}"`);
    expect(csv).not.toContain(RAW_HOST_CELL);
    const raw = await t.fetchAs('auditor', `/api/v1/runs/${runId}/queries/${FINDING}/rows.csv?raw=true`);
    const stored = await readFile(path.join(t.stateDir, 'runs', runId, `${FINDING}.csv`));
    expect(Buffer.from(await raw.arrayBuffer()).equals(stored)).toBe(true);
    expect(stored.toString('utf8')).toContain(RAW_HOST_CELL);
  });

  it('refuses a raw value other than true or false', async () => {
    expect((await t.fetchAs('auditor', `/api/v1/executions/${executionId}/results.csv?raw=yes`)).status).toBe(400);
  });

  it('leave evidence byte-exact to the run, its manifest hashes matching the raw files it names', async () => {
    const entries = unzipSync(new Uint8Array(await (await t.fetchAs('auditor', `/api/v1/runs/${runId}/evidence.zip`)).arrayBuffer()));
    const manifest = EvidenceManifest.parse(JSON.parse(strFromU8(entries['manifest.json']!)));
    const file = manifest.queries.find((q) => q.id === FINDING)!.file!;
    expect(file).toBe(`results/${FINDING}.raw.csv`);
    expect(Buffer.from(entries[file]!).equals(await readFile(path.join(t.stateDir, 'runs', runId, `${FINDING}.csv`)))).toBe(true);
  });
});
