import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import type { ReportRun, TriageRecord } from '@access-monitor/contracts';
import { ObjectNotFound, type ObjectStore } from '@access-monitor/storage';
import { StoredResultUnavailable } from '../reports/report-errors';
import { reportKeys } from '../store-layout';
import { EVIDENCE_FORMAT, MANIFEST_FILE, PUBLIC_KEY_FILE, SIGNATURE_FILE, type EvidenceManifest } from './evidence-manifest';
import type { SigningKey } from './signing-key';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** `triage.json` of an evidence zip: the exceptions (accepted risks, false positives) in force for the report at export time. */
export const TRIAGE_FILE = 'triage.json';
/** `README.txt` of an evidence zip: what the files are, and why the CSVs are raw. */
export const README_FILE = 'README.txt';

/**
 * Evidence carries each result exactly as the run stored it (the bytes whose SHA-256 the run recorded), not the
 * spreadsheet-safe copy the dashboard downloads: evidence must prove what the engine returned, and a neutralised
 * copy would differ from the run's hash. The names say so, and README.txt warns against opening them in a spreadsheet.
 */
export const rawResultFile = (queryId: string) => `results/${queryId}.raw.csv`;

const README = `Evidence of an access-monitor report run.

manifest.json   what ran (report, SQL of each query, window, engine, times, bytes scanned, row counts)
                and the SHA-256 of every other file; signed with Ed25519 in manifest.sig
public-key.pem  the key that signed it. Check the zip with
                access-monitor verify EVIDENCE.zip --public-key KEY.pem   (or --server URL)
run.json        the run record as stored
results/*.raw.csv  each query's result rows exactly as the engine returned them (Athena's CSV format)

The .raw.csv files are byte-exact, NOT spreadsheet-safe: a cell may hold text an attacker put in the
audit log, such as =HYPERLINK(...). Do not open them in a spreadsheet; for that, download the finding's
CSV from the dashboard, where such cells are neutralised.
`;

/**
 * An auditor's evidence for one run: the signed manifest, every stored result CSV, the whole run
 * record and, when given, the triage exceptions in force. A stored result that no longer matches the
 * hash recorded at run time is refused, not exported.
 */
export async function buildEvidenceZip(run: ReportRun, store: ObjectStore, key: SigningKey, now: Date, triage?: readonly TriageRecord[]): Promise<Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const q of run.queries) {
    if (q.state !== 'SUCCEEDED') continue;
    let body: Uint8Array;
    try {
      body = (await store.get(reportKeys.resultCsv(run.id, q.id))).body;
    } catch (e) {
      if (e instanceof ObjectNotFound) throw new StoredResultUnavailable(`the stored result of ${q.id} in report run ${run.id} is missing`);
      throw e;
    }
    if (q.sha256 !== undefined && sha256(body) !== q.sha256) throw new StoredResultUnavailable(`the stored result of ${q.id} in report run ${run.id} no longer matches the SHA-256 recorded when it ran`);
    files[rawResultFile(q.id)] = body;
  }
  files[README_FILE] = strToU8(README);
  files['run.json'] = strToU8(JSON.stringify(run, null, 2));
  if (triage) files[TRIAGE_FILE] = strToU8(JSON.stringify({ report: run.report, inForceAt: now.toISOString(), exceptions: triage }, null, 2));

  const manifest: EvidenceManifest = {
    format: EVIDENCE_FORMAT,
    run: {
      id: run.id,
      report: run.report,
      title: run.title,
      days: run.days,
      window: run.window,
      engine: run.engine,
      state: run.state,
      ...(run.startedBy ? { startedBy: run.startedBy } : {}),
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      bytesScanned: run.bytesScanned,
      completeness: run.completeness,
    },
    queries: run.queries.map((q) => ({
      id: q.id,
      title: q.title,
      severity: q.severity,
      state: q.state,
      detailSql: q.detailSql,
      chartSql: q.chartSql,
      ...(q.rowCount !== undefined ? { rowCount: q.rowCount } : {}),
      bytesScanned: q.bytesScanned,
      elapsedMs: q.elapsedMs,
      ...(q.error ? { error: q.error.detail ?? q.error.title } : {}),
      ...(files[rawResultFile(q.id)] ? { file: rawResultFile(q.id), sha256: sha256(files[rawResultFile(q.id)]!) } : {}),
    })),
    files: Object.entries(files).map(([path, body]) => ({ path, bytes: body.byteLength, sha256: sha256(body) })),
    exportedAt: now.toISOString(),
    signer: { algorithm: 'Ed25519', fingerprint: key.fingerprint },
  };
  const manifestBytes = strToU8(`${JSON.stringify(manifest, null, 2)}\n`);
  return zipSync({
    [MANIFEST_FILE]: manifestBytes,
    [SIGNATURE_FILE]: strToU8(`${key.sign(manifestBytes).toString('base64')}\n`),
    [PUBLIC_KEY_FILE]: strToU8(key.publicKeyPem),
    ...files,
  });
}
