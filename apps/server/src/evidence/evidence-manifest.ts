import { z } from 'zod';
import { DataCompleteness, DateWindow } from '@access-monitor/contracts';

export const EVIDENCE_FORMAT = 'access-monitor-evidence/1';
/** Files of an evidence zip that are not listed with a hash in its manifest. */
export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
export const PUBLIC_KEY_FILE = 'public-key.pem';

/** `manifest.json` of an evidence zip: what ran, how, and the SHA-256 of every other file. Signed as bytes. */
export const EvidenceManifest = z.object({
  format: z.literal(EVIDENCE_FORMAT),
  run: z.object({
    id: z.string(),
    report: z.string(),
    title: z.string(),
    days: z.number(),
    window: DateWindow,
    engine: z.string(),
    state: z.string(),
    startedBy: z.string().optional(),
    startedAt: z.string(),
    finishedAt: z.string(),
    bytesScanned: z.number(),
    completeness: DataCompleteness,
  }),
  queries: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      severity: z.string(),
      state: z.string(),
      detailSql: z.string().nullable(),
      chartSql: z.string(),
      rowCount: z.number().optional(),
      bytesScanned: z.number(),
      elapsedMs: z.number(),
      error: z.string().optional(),
      /** The detail result in the zip, when the query succeeded. */
      file: z.string().optional(),
      sha256: z.string().optional(),
    }),
  ),
  files: z.array(z.object({ path: z.string(), bytes: z.number(), sha256: z.string() })),
  exportedAt: z.string(),
  signer: z.object({ algorithm: z.literal('Ed25519'), fingerprint: z.string() }),
});
export type EvidenceManifest = z.infer<typeof EvidenceManifest>;
