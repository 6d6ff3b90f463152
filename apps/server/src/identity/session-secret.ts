import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createFileExclusive } from '@access-monitor/storage';

const MIN_SECRET_BYTES = 32;

/** The session secret file is unusable (too short, unreadable). */
export class SessionSecretError extends Error {
  override name = 'SessionSecretError';
}

/**
 * The HMAC key for session cookies: the file's bytes (trailing newline ignored). Created with 32 random bytes
 * (base64url, mode 0600) when missing; every instance pointed at the same file accepts the others' cookies.
 */
export async function loadSessionSecret(file: string): Promise<Uint8Array> {
  await createFileExclusive(file, `${randomBytes(32).toString('base64url')}\n`, 0o600);
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (e) {
    throw new SessionSecretError(`${file}: cannot read session secret: ${(e as Error).message}`);
  }
  if (raw.length < MIN_SECRET_BYTES) throw new SessionSecretError(`${file}: session secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return new Uint8Array(raw.subarray(0, trimmedLength(raw)));
}

function trimmedLength(b: Buffer): number {
  let n = b.length;
  while (n > 0 && (b[n - 1] === 0x0a || b[n - 1] === 0x0d)) n--;
  return n;
}
