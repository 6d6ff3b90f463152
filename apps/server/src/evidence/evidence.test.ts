import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidencePublicKey, ProblemTypes, ReportRunStarted, ReportSummary } from '@access-monitor/contracts';
import { startTestServer, type TestServer } from '../testing/test-server';
import { EvidenceManifest } from './evidence-manifest';
import { EvidenceInvalid, verifyEvidence } from './verify-evidence';

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

/** The CLI without blocking this process, which serves what it fetches. */
function cliAsync(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const QUERY_STUB = { id: 'q', title: 'Q', severity: 'low', state: 'SUCCEEDED', detailSql: null, chartSql: 'SELECT 1', bytesScanned: 0, elapsedMs: 0 };

/** Evidence as an attacker would build it: any files, a manifest hashing them, signed with a key of their own inside the zip. */
function signedEvidence(files: Record<string, Uint8Array>, edit: (m: EvidenceManifest) => EvidenceManifest = (m) => m): { zip: Uint8Array; fingerprint: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const fingerprint = `SHA256:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64').replace(/=+$/, '')}`;
  const manifest: EvidenceManifest = edit({
    format: 'access-monitor-evidence/1',
    run: {
      id: 'forged',
      report: 'privilege_access_report',
      title: 'Forged',
      days: 7,
      window: { start: '2026-01-08', end: '2026-01-14' },
      engine: 'duckdb',
      state: 'READY',
      startedAt: '2026-01-14T12:00:00.000Z',
      finishedAt: '2026-01-14T12:00:01.000Z',
      bytesScanned: 0,
      completeness: { daysWithData: [], missingDays: [] },
    },
    queries: [],
    files: Object.entries(files).map(([p, body]) => ({ path: p, bytes: body.byteLength, sha256: createHash('sha256').update(body).digest('hex') })),
    exportedAt: '2026-01-14T12:00:02.000Z',
    signer: { algorithm: 'Ed25519', fingerprint },
  });
  const manifestBytes = strToU8(JSON.stringify(manifest));
  return {
    fingerprint,
    zip: zipSync({
      'manifest.json': manifestBytes,
      'manifest.sig': strToU8(sign(null, manifestBytes, privateKey).toString('base64')),
      'public-key.pem': strToU8(publicKey.export({ type: 'spki', format: 'pem' }) as string),
      ...files,
    }),
  };
}

/** The zip with one entry's uncompressed size in the central directory replaced: a bomb's header. */
function patchDeclaredSize(zipBytes: Uint8Array, name: string, size: number): Uint8Array {
  const out = new Uint8Array(zipBytes);
  const view = new DataView(out.buffer);
  for (let i = 0; i + 46 <= out.length; i++) {
    if (view.getUint32(i, true) !== 0x02014b50) continue; // central directory file header
    const nameLength = view.getUint16(i + 28, true);
    if (strFromU8(out.subarray(i + 46, i + 46 + nameLength)) === name) {
      view.setUint32(i + 24, size, true);
      return out;
    }
  }
  throw new Error(`no central directory entry ${name}`);
}

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

  it('verifies with the CLI against a pinned key, from a file or fetched from the server, printing the key fingerprint', async () => {
    const key = EvidencePublicKey.parse(await (await t.fetchAs('auditor', '/api/v1/evidence/public-key')).json());
    await writeFile(path.join(dir, 'evidence.zip'), zip);
    await writeFile(path.join(dir, 'key.pem'), key.publicKeyPem);
    const ok = cli('verify', 'evidence.zip', '--public-key', 'key.pem');
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^OK: privilege_access_report run ${runId}, .*${key.fingerprint.replace(/[+/]/g, '\\$&')}`));
    const fetched = await cliAsync('verify', 'evidence.zip', '--server', t.url);
    expect(fetched.stderr).toBe('');
    expect(fetched.status).toBe(0);
    expect(fetched.stdout).toContain(key.fingerprint);
  });

  it('refuses to call a zip verified on the strength of the key inside it, unless --trust-embedded-key says so', async () => {
    // An attacker rebuilds the evidence with their own key: the signature checks out against the embedded key.
    const forged = signedEvidence({ 'results/q.raw.csv': strToU8('"user"\n"mallory"\n') });
    await writeFile(path.join(dir, 'forged.zip'), forged.zip);
    const r = cli('verify', 'forged.zip');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`signature valid for key ${forged.fingerprint} which is not pinned`);
    expect(r.stdout).toBe('');
    await writeFile(path.join(dir, 'key.pem'), EvidencePublicKey.parse(await (await fetch(`${t.url}/api/v1/evidence/public-key`)).json()).publicKeyPem);
    expect(cli('verify', 'forged.zip', '--public-key', 'key.pem').stderr).toMatch(/manifest.json: the signature in manifest.sig does not match/);
    const trusted = cli('verify', 'forged.zip', '--trust-embedded-key');
    expect(trusted.status).toBe(0);
    expect(trusted.stdout).toMatch(/not who signed it/);
  });

  it('refuses manifest and zip entry paths that are absolute, climb with .. or use backslashes', async () => {
    const slip = signedEvidence({ '../../tmp/slip.txt': strToU8('owned') });
    await writeFile(path.join(dir, 'slip.zip'), slip.zip);
    const r = cli('verify', 'slip.zip', '--trust-embedded-key');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\.\.\/\.\.\/tmp\/slip\.txt: refused: a "\.", "\.\." or empty path segment/);
    for (const name of ['/etc/cron.d/slip', 'results\\..\\..\\slip.txt', 'C:/slip.txt', 'results/./q.csv']) {
      expect(() => verifyEvidence(signedEvidence({ [name]: strToU8('x') }).zip), name).toThrow(EvidenceInvalid);
      expect(() => verifyEvidence(signedEvidence({ [name]: strToU8('x') }).zip), name).toThrow(/refused/);
    }
    // A manifest naming a path the zip does not hold under that name is refused for the name, not the hash.
    const listedOnly = signedEvidence({ 'results/q.raw.csv': strToU8('x') }, (m) => ({ ...m, queries: [{ ...QUERY_STUB, file: '../q.csv' }] }));
    expect(() => verifyEvidence(listedOnly.zip)).toThrow(/\.\.\/q\.csv: refused: the manifest lists/);
  });

  it('refuses a zip bomb before inflating it: a forged size and a real 1000:1 entry', async () => {
    // 1.2 GB declared in the central directory for a few compressed bytes.
    const forged = patchDeclaredSize(signedEvidence({ 'results/q.raw.csv': strToU8('"n"\n"1"\n') }).zip, 'results/q.raw.csv', 1_200_000_000);
    await writeFile(path.join(dir, 'bomb.zip'), forged);
    const r = cli('verify', 'bomb.zip', '--trust-embedded-key');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/results\/q\.raw\.csv: refused: 1200000000 bytes uncompressed, over the \d+-byte limit per file/);
    const zeros = signedEvidence({ 'results/q.raw.csv': new Uint8Array(32 * 2 ** 20) });
    expect(zeros.zip.byteLength).toBeLessThan(2 ** 20);
    expect(() => verifyEvidence(zeros.zip)).toThrow(/results\/q\.raw\.csv: refused: compressed \d+:1, over the 200:1 limit/);
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

  it('is refused to a user without use on security_report; the public key is public, for verify --server', async () => {
    for (const who of ['runner', 'visitor'] as const) {
      const res = await t.fetchAs(who, `/api/v1/runs/${runId}/evidence.zip`);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { type: string }).type).toBe(ProblemTypes.forbidden);
      expect((await t.fetchAs(who, '/api/v1/evidence/public-key')).status).toBe(200);
    }
    expect((await fetch(`${t.url}/api/v1/evidence/public-key`)).status).toBe(200);
  });

  it('carries the results byte for byte as the run stored them, named .raw.csv, with a README saying they are not spreadsheet-safe', async () => {
    const entries = unzipSync(zip);
    const manifest = EvidenceManifest.parse(JSON.parse(strFromU8(entries['manifest.json']!)));
    const withFiles = manifest.queries.filter((q) => q.file !== undefined);
    expect(withFiles.length).toBeGreaterThan(0);
    for (const q of withFiles) {
      expect(q.file).toBe(`results/${q.id}.raw.csv`);
      expect(Buffer.from(entries[q.file!]!).equals(await readFile(path.join(t.stateDir, 'runs', runId, `${q.id}.csv`)))).toBe(true);
    }
    expect(strFromU8(entries['README.txt']!)).toMatch(/NOT spreadsheet-safe/);
    expect(manifest.files.map((f) => f.path)).toContain('README.txt');
  });
});
