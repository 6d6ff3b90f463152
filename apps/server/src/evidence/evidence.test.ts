import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidencePublicKey, ProblemTypes, ReportRunStarted, ReportSummary } from '@access-monitor/contracts';
import { startTestServer, type TestServer } from '../testing/test-server';
import { EvidenceManifest } from './evidence-manifest';
import { verifyEvidence } from './verify-evidence';

const BIN = fileURLToPath(new URL('../../bin/access-monitor.js', import.meta.url));
let t: TestServer;
let dir: string;
let runId: string;
let zip: Uint8Array;

beforeAll(async () => {
  t = await startTestServer({ days: 7, events: 1500 });
  dir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-evidence-'));
  const res = await t.fetchAs('auditor', '/api/v1/reports/privilege_access_report/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ days: 7 }) });
  runId = ReportRunStarted.parse(await res.json()).runId;
  for (;;) {
    const summary = ReportSummary.parse(await (await t.fetchAs('auditor', '/api/v1/reports/privilege_access_report')).json());
    if (summary.states[0]!.state !== 'RUNNING') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const download = await t.fetchAs('auditor', `/api/v1/runs/${runId}/evidence.zip`);
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('application/zip');
  expect(download.headers.get('content-disposition')).toContain(`${runId}-evidence.zip`);
  zip = new Uint8Array(await download.arrayBuffer());
});
afterAll(async () => {
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: dir });

/** The zip with one byte of one file changed. */
function tampered(file: string): Uint8Array {
  const entries = unzipSync(zip);
  const body = new Uint8Array(entries[file]!);
  body[body.length - 2] = body[body.length - 2]! ^ 0x01;
  return zipSync({ ...entries, [file]: body });
}

describe('evidence export', () => {
  it('holds the signed manifest with every query, its SQL, row count and the hash of its result', async () => {
    const entries = unzipSync(zip);
    const manifest = EvidenceManifest.parse(JSON.parse(strFromU8(entries['manifest.json']!)));
    const run = (await (await t.fetchAs('auditor', `/api/v1/runs/${runId}`)).json()) as { queries: Array<{ id: string; rowCount: number; sha256: string; detailSql: string }> };
    expect(manifest.run).toMatchObject({ id: runId, report: 'privilege_access_report', engine: 'duckdb', days: 7 });
    expect(manifest.queries.map((q) => [q.id, q.rowCount, q.sha256, q.detailSql])).toEqual(run.queries.map((q) => [q.id, q.rowCount, q.sha256, q.detailSql]));
    for (const q of manifest.queries) expect(strFromU8(entries[q.file!]!).trimEnd().split('\n')).toHaveLength(q.rowCount! + 1);
    const key = EvidencePublicKey.parse(await (await t.fetchAs('auditor', '/api/v1/evidence/public-key')).json());
    expect(strFromU8(entries['public-key.pem']!)).toBe(key.publicKeyPem);
    expect(verifyEvidence(zip, key.publicKeyPem)).toMatchObject({ fingerprint: key.fingerprint, pinned: true });
  });

  it('verifies with the CLI, printing the key fingerprint, with and without a pinned key', async () => {
    const key = EvidencePublicKey.parse(await (await t.fetchAs('auditor', '/api/v1/evidence/public-key')).json());
    await writeFile(path.join(dir, 'evidence.zip'), zip);
    await writeFile(path.join(dir, 'key.pem'), key.publicKeyPem);
    const ok = cli('verify', 'evidence.zip', '--public-key', 'key.pem');
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^OK: privilege_access_report run ${runId}, .*${key.fingerprint.replace(/[+/]/g, '\\$&')}`));
    expect(cli('verify', 'evidence.zip').status).toBe(0);
  });

  it('fails verification naming the file when one byte of a result CSV changed', async () => {
    const entries = unzipSync(zip);
    const csv = Object.keys(entries).find((f) => f.startsWith('results/') && entries[f]!.length > 40)!;
    await writeFile(path.join(dir, 'tampered.zip'), tampered(csv));
    const r = cli('verify', 'tampered.zip');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${csv}: SHA-256 does not match the manifest`);
  });

  it('fails verification when the manifest changed, or when signed by a key other than the pinned one', async () => {
    expect(() => verifyEvidence(tampered('manifest.json'))).toThrow(/manifest.json: the signature/);
    const other = (await import('node:crypto')).generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(() => verifyEvidence(zip, other)).toThrow(/manifest.json: the signature/);
  });

  it('refuses to export a run whose stored result no longer matches its recorded hash', async () => {
    const run = (await (await t.fetchAs('auditor', `/api/v1/runs/${runId}`)).json()) as { queries: Array<{ id: string; rowCount: number }> };
    const q = run.queries.find((x) => x.rowCount > 0)!;
    const file = path.join(t.stateDir, 'runs', runId, `${q.id}.csv`);
    const original = await readFile(file);
    const changed = Buffer.from(original);
    changed[changed.length - 2] = changed[changed.length - 2]! ^ 0x01;
    await writeFile(file, changed);
    try {
      const res = await t.fetchAs('auditor', `/api/v1/runs/${runId}/evidence.zip`);
      expect(res.status).toBe(410);
      expect(((await res.json()) as { type: string; detail: string }).type).toBe(ProblemTypes.resultGone);
    } finally {
      await writeFile(file, original);
    }
  });

  it('is refused to a user without use on security_report; the public key needs only a sign-in', async () => {
    for (const who of ['runner', 'visitor'] as const) {
      const res = await t.fetchAs(who, `/api/v1/runs/${runId}/evidence.zip`);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { type: string }).type).toBe(ProblemTypes.forbidden);
      expect((await t.fetchAs(who, '/api/v1/evidence/public-key')).status).toBe(200);
    }
    expect((await fetch(`${t.url}/api/v1/evidence/public-key`)).status).toBe(401);
  });
});
