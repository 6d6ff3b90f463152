import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { EvidenceManifest, MANIFEST_FILE, PUBLIC_KEY_FILE, SIGNATURE_FILE } from './evidence-manifest';
import { fingerprintOf } from './signing-key';

/** Evidence that does not verify; `file` names the first file found wrong. */
export class EvidenceInvalid extends Error {
  override name = 'EvidenceInvalid';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export interface VerifiedEvidence {
  manifest: EvidenceManifest;
  fingerprint: string;
  /** Whether the key came from the caller (pinned) or from the zip itself. */
  pinned: boolean;
}

/**
 * Checks an evidence zip: the Ed25519 signature of manifest.json (with the pinned key, else the zip's
 * own), then the SHA-256 of every file the manifest lists; nothing unlisted may be in the zip.
 */
export function verifyEvidence(zip: Uint8Array, pinnedPublicKeyPem?: string): VerifiedEvidence {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch (e) {
    throw new EvidenceInvalid('(zip)', `not a readable zip file (${(e as Error).message})`);
  }
  const manifestBytes = entries[MANIFEST_FILE];
  if (!manifestBytes) throw new EvidenceInvalid(MANIFEST_FILE, 'missing');
  const signature = entries[SIGNATURE_FILE];
  if (!signature) throw new EvidenceInvalid(SIGNATURE_FILE, 'missing');
  const keyPem = pinnedPublicKeyPem ?? (entries[PUBLIC_KEY_FILE] ? strFromU8(entries[PUBLIC_KEY_FILE]) : undefined);
  if (keyPem === undefined) throw new EvidenceInvalid(PUBLIC_KEY_FILE, 'missing, and no --public-key was given');
  let key: KeyObject;
  try {
    key = createPublicKey(keyPem);
  } catch (e) {
    throw new EvidenceInvalid(pinnedPublicKeyPem ? '(public key)' : PUBLIC_KEY_FILE, `not a public key (${(e as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new EvidenceInvalid(pinnedPublicKeyPem ? '(public key)' : PUBLIC_KEY_FILE, 'not an Ed25519 key');
  if (!verify(null, manifestBytes, key, Buffer.from(strFromU8(signature).trim(), 'base64'))) {
    throw new EvidenceInvalid(MANIFEST_FILE, `the signature in ${SIGNATURE_FILE} does not match (the manifest was changed, or signed with another key)`);
  }
  let manifest: EvidenceManifest;
  try {
    manifest = EvidenceManifest.parse(JSON.parse(strFromU8(manifestBytes)));
  } catch (e) {
    throw new EvidenceInvalid(MANIFEST_FILE, `not an evidence manifest (${(e as Error).message.split('\n')[0]})`);
  }
  const listed = new Set([MANIFEST_FILE, SIGNATURE_FILE, PUBLIC_KEY_FILE]);
  for (const f of manifest.files) {
    listed.add(f.path);
    const body = entries[f.path];
    if (!body) throw new EvidenceInvalid(f.path, 'missing from the zip');
    if (body.byteLength !== f.bytes || createHash('sha256').update(body).digest('hex') !== f.sha256) throw new EvidenceInvalid(f.path, 'SHA-256 does not match the manifest');
  }
  const extra = Object.keys(entries).find((name) => !listed.has(name) && !name.endsWith('/'));
  if (extra) throw new EvidenceInvalid(extra, 'not listed in the manifest');
  return { manifest, fingerprint: fingerprintOf(key), pinned: pinnedPublicKeyPem !== undefined };
}
