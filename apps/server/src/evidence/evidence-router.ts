import { Router } from 'express';
import { z } from 'zod';
import type { EvidencePublicKey } from '@access-monitor/contracts';
import type { ObjectStore } from '@access-monitor/storage';
import { validate } from '../http/validate';
import type { RunResults } from '../reports/run-results';
import type { Triage } from '../triage/triage-store';
import { buildEvidenceZip } from './evidence-zip';
import { loadSigningKey, type SigningKey } from './signing-key';

const RunParams = z.object({ runId: z.string().min(1).max(64) });

/** Signed evidence of report runs, and the public key to check it with. */
export function createEvidenceRouter(deps: { results: RunResults; store: ObjectStore; signingKeyFile: string; now: () => Date; triage?: Triage }): Router {
  const router = Router();
  // Loaded on first use: an app that never exports evidence never creates a key file.
  let key: Promise<SigningKey> | undefined;
  const signingKey = (): Promise<SigningKey> => {
    key ??= loadSigningKey(deps.signingKeyFile);
    key.catch(() => (key = undefined));
    return key;
  };

  router.get('/evidence/public-key', async (_req, res) => {
    const k = await signingKey();
    res.json({ algorithm: 'Ed25519', publicKeyPem: k.publicKeyPem, fingerprint: k.fingerprint } satisfies EvidencePublicKey);
  });

  router.get('/runs/:runId/evidence.zip', validate({ params: RunParams }), async (req, res) => {
    const run = await deps.results.manifest(String(req.params.runId));
    const exceptions = deps.triage ? await deps.triage.inForceOfReport(run.report) : undefined;
    const zip = await buildEvidenceZip(run, deps.store, await signingKey(), deps.now(), exceptions);
    req.log?.info({ runId: run.id, bytes: zip.byteLength }, 'evidence exported');
    res.status(200).type('application/zip').attachment(`${run.report}-${run.window.start}_${run.window.end}-${run.id}-evidence.zip`).send(Buffer.from(zip));
  });

  return router;
}
