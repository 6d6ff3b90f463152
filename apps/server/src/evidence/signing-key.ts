import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createFileExclusive } from '@access-monitor/storage';

/** The evidence signing key file is unusable (unreadable, not an Ed25519 private key). */
export class SigningKeyError extends Error {
  override name = 'SigningKeyError';
}

export interface SigningKey {
  publicKeyPem: string;
  /** `SHA256:<base64>` of the DER SPKI, as `access-monitor verify` prints it. */
  fingerprint: string;
  sign(data: Uint8Array): Buffer;
}

/** `SHA256:<unpadded base64 of the SHA-256 of the DER SPKI>`, like SSH key fingerprints. */
export function fingerprintOf(publicKey: KeyObject): string {
  return `SHA256:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64').replace(/=+$/, '')}`;
}

/**
 * The server's Ed25519 evidence key: a PKCS#8 PEM file, created once with an exclusive create (0600)
 * so instances starting together agree on one key; every instance pointed at the file signs alike.
 */
export async function loadSigningKey(file: string): Promise<SigningKey> {
  const { privateKey: fresh } = generateKeyPairSync('ed25519');
  await createFileExclusive(file, fresh.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(await readFile(file, 'utf8'));
  } catch (e) {
    throw new SigningKeyError(`${file}: cannot read the evidence signing key: ${(e as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`${file}: the evidence signing key must be Ed25519, not ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    fingerprint: fingerprintOf(publicKey),
    sign: (data) => sign(null, data, privateKey),
  };
}
