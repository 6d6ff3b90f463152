import { Router } from 'express';
import { z } from 'zod';
import { EvidencePublicKey, Problem } from '@access-monitor/contracts';
import { PERMISSIONS } from '@access-monitor/rbac';
import type { ObjectStore } from '@access-monitor/storage';
import { defineRoutes, mountRoutes } from '../http/declare-routes';
import type { RunResults } from '../reports/run-results';
import type { Triage } from '../triage/triage-store';
import { buildEvidenceZip } from './evidence-zip';
import { loadSigningKey, type SigningKey } from './signing-key';

const RunParams = z.object({ runId: z.string().min(1).max(64) });

interface EvidenceDeps {
  results: RunResults;
  store: ObjectStore;
  signingKeyFile: string;
  now: () => Date;
  triage?: Triage;
}

interface EvidenceContext extends EvidenceDeps {
  signingKey: () => Promise<SigningKey>;
}

/** Signed evidence of report runs, and the public key to check it with. */
export const EVIDENCE_ROUTES = defineRoutes<EvidenceContext>([
  {
    method: 'GET',
    path: '/evidence/public-key',
    // Auditors pin the key evidence is signed with: served without signing in so that
    // `access-monitor verify --server URL` can fetch it.
    access: { public: true },
    summary: 'The Ed25519 public key evidence is signed with, and its fingerprint, to pin (public: access-monitor verify --server fetches it)',
    responses: { 200: EvidencePublicKey },
    handler: async ({ signingKey }, _req, res) => {
      const k = await signingKey();
      res.json({ algorithm: 'Ed25519', publicKeyPem: k.publicKeyPem, fingerprint: k.fingerprint } satisfies EvidencePublicKey);
    },
  },
  {
    method: 'GET',
    path: '/runs/:runId/evidence.zip',
    access: { permission: PERMISSIONS.runReport },
    summary:
      'Evidence for auditors: manifest.json (SQL, window, engine, times, bytes scanned, row counts, SHA-256 of each file) signed with Ed25519 (manifest.sig), the public key and the result CSVs',
    params: RunParams,
    responses: { 200: 'application/zip', 404: Problem, 410: Problem },
    handler: async ({ results, store, now, triage, signingKey }, req, res) => {
      const run = await results.manifest(String(req.params.runId));
      const exceptions = triage ? await triage.inForceOfReport(run.report) : undefined;
      const zip = await buildEvidenceZip(run, store, await signingKey(), now(), exceptions);
      req.log?.info({ runId: run.id, bytes: zip.byteLength }, 'evidence exported');
      res.status(200).type('application/zip').attachment(`${run.report}-${run.window.start}_${run.window.end}-${run.id}-evidence.zip`).send(Buffer.from(zip));
    },
  },
]);

export function createEvidenceRouter(deps: EvidenceDeps): Router {
  // Loaded on first use: an app that never exports evidence never creates a key file.
  let key: Promise<SigningKey> | undefined;
  const signingKey = (): Promise<SigningKey> => {
    key ??= loadSigningKey(deps.signingKeyFile);
    key.catch(() => (key = undefined));
    return key;
  };
  return mountRoutes(Router(), EVIDENCE_ROUTES, { ...deps, signingKey });
}
