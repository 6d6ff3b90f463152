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

/** What a zip may hold before anything is inflated: evidence is CSV and JSON, never a bomb. */
export interface ZipLimits {
  entries: number;
  /** Uncompressed bytes of one entry. */
  entryBytes: number;
  /** Uncompressed bytes of all entries together. */
  totalBytes: number;
  /** Uncompressed / compressed, for entries over `ratioFloorBytes` (small files compress absurdly well and harm nobody). */
  ratio: number;
  ratioFloorBytes: number;
}

export const ZIP_LIMITS: ZipLimits = { entries: 10_000, entryBytes: 256 * 2 ** 20, totalBytes: 512 * 2 ** 20, ratio: 200, ratioFloorBytes: 2 ** 20 };

/**
 * Why a path from a zip or a manifest may not be used, or undefined when it is a plain relative path: no absolute
 * paths or drive letters, no `.`/`..` or empty segments, no backslashes or control characters. Directory entries
 * of a zip (`results/`) may end with one `/`.
 */
export function unsafePathReason(name: string, opts: { directory?: boolean } = {}): string | undefined {
  const path = opts.directory && name.endsWith('/') ? name.slice(0, -1) : name;
  if (path === '') return 'an empty path';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'an absolute path';
  if (path.includes('\\')) return 'a backslash in the path';
  if ([...path].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return 'a control character in the path';
  if (path.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) return 'a ".", ".." or empty path segment';
  return undefined;
}

/** The zip's entries, refusing unsafe names, duplicates and anything over the limits before it is inflated. */
function readZip(zip: Uint8Array, limits: ZipLimits): Record<string, Uint8Array> {
  const seen = new Set<string>();
  let total = 0;
  let refusal: EvidenceInvalid | undefined;
  const refuse = (file: string, reason: string) => {
    refusal ??= new EvidenceInvalid(file, reason);
    return false;
  };
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip, {
      // Sizes are the central directory's; fflate inflates an entry into a buffer of exactly its declared size, so they bind.
      filter: ({ name, size, originalSize }) => {
        if (refusal) return false;
        const unsafe = unsafePathReason(name, { directory: true });
        if (unsafe) return refuse(name, `refused: ${unsafe}`);
        if (seen.has(name)) return refuse(name, 'refused: listed twice in the zip');
        seen.add(name);
        if (seen.size > limits.entries) return refuse('(zip)', `refused: more than ${limits.entries} entries`);
        if (originalSize > limits.entryBytes) return refuse(name, `refused: ${originalSize} bytes uncompressed, over the ${limits.entryBytes}-byte limit per file`);
        total += originalSize;
        if (total > limits.totalBytes) return refuse(name, `refused: the zip holds over ${limits.totalBytes} bytes uncompressed`);
        if (originalSize > limits.ratioFloorBytes && originalSize / Math.max(1, size) > limits.ratio) {
          return refuse(name, `refused: compressed ${Math.round(originalSize / Math.max(1, size))}:1, over the ${limits.ratio}:1 limit (a zip bomb?)`);
        }
        return true;
      },
    });
  } catch (e) {
    throw new EvidenceInvalid('(zip)', `not a readable zip file (${(e as Error).message})`);
  }
  if (refusal) throw refusal;
  return entries;
}

export interface VerifiedEvidence {
  manifest: EvidenceManifest;
  fingerprint: string;
  /** Whether the key came from the caller (pinned) or from the zip itself. */
  pinned: boolean;
}

/**
 * Checks an evidence zip: entry names and sizes (before inflating anything), the Ed25519 signature of manifest.json
 * (with the pinned key, else the zip's own: the caller decides whether an unpinned key is acceptable), then the
 * SHA-256 of every file the manifest lists, whose paths must be plain relative paths; nothing unlisted may be in the zip.
 */
export function verifyEvidence(zip: Uint8Array, pinnedPublicKeyPem?: string, limits: ZipLimits = ZIP_LIMITS): VerifiedEvidence {
  const entries = readZip(zip, limits);
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
  for (const file of [...manifest.files.map((f) => f.path), ...manifest.queries.flatMap((q) => (q.file === undefined ? [] : [q.file]))]) {
    const unsafe = unsafePathReason(file);
    if (unsafe) throw new EvidenceInvalid(file, `refused: the manifest lists ${unsafe}`);
  }
  const listed = new Set([MANIFEST_FILE, SIGNATURE_FILE, PUBLIC_KEY_FILE]);
  for (const f of manifest.files) {
    listed.add(f.path);
    const body = Object.hasOwn(entries, f.path) ? entries[f.path] : undefined;
    if (!body) throw new EvidenceInvalid(f.path, 'missing from the zip');
    if (body.byteLength !== f.bytes || createHash('sha256').update(body).digest('hex') !== f.sha256) throw new EvidenceInvalid(f.path, 'SHA-256 does not match the manifest');
  }
  const extra = Object.keys(entries).find((name) => !listed.has(name) && !name.endsWith('/'));
  if (extra) throw new EvidenceInvalid(extra, 'not listed in the manifest');
  return { manifest, fingerprint: fingerprintOf(key), pinned: pinnedPublicKeyPem !== undefined };
}
