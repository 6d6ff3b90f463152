import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * OWASP's scrypt row "N=2^15, r=8, p=3": the same work as N=2^17/p=1 with a quarter of the memory
 * (32 MiB per hash), so a burst of logins cannot exhaust a small container.
 */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 3 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const HASH_FORMAT = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

interface ParsedHash extends ScryptParams {
  salt: Buffer;
  hash: Buffer;
}

/** `scrypt$N=32768,r=8,p=3$<salt base64>$<hash base64>`: self-describing, so parameters can be raised later. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  checkParams(params);
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(password, salt, KEY_LENGTH, params);
  return formatHash(params, salt, hash);
}

/** Constant-time comparison; a malformed hash verifies nothing. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parsePasswordHash(encoded);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed.hash.length, parsed);
  return timingSafeEqual(actual, parsed.hash);
}

/** Null when the string is not a hash this module can verify (unknown format or parameters out of bounds). */
export function parsePasswordHash(encoded: string): ParsedHash | null {
  const m = HASH_FORMAT.exec(encoded);
  if (!m) return null;
  const params = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  const salt = Buffer.from(m[4]!, 'base64');
  const hash = Buffer.from(m[5]!, 'base64');
  try {
    checkParams(params);
  } catch {
    return null;
  }
  if (salt.length < 8 || hash.length < 16 || hash.length > 64) return null;
  return { ...params, salt, hash };
}

/**
 * A hash of nothing with the same parameters as `like`: verifying an unknown user's password against it
 * costs as much as a real check, so response time does not reveal which usernames exist.
 */
export function decoyHashLike(like: string | undefined): string {
  const params = (like && parsePasswordHash(like)) || DEFAULT_SCRYPT;
  return formatHash(params, randomBytes(SALT_LENGTH), randomBytes(KEY_LENGTH));
}

function formatHash({ N, r, p }: ScryptParams, salt: Buffer, hash: Buffer): string {
  return `scrypt$N=${N},r=${r},p=${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

// Bounds keep a hand-edited users file from turning one login into a multi-gigabyte allocation.
function checkParams({ N, r, p }: ScryptParams): void {
  const powerOfTwo = Number.isInteger(N) && N >= 2 ** 10 && N <= 2 ** 20 && (N & (N - 1)) === 0;
  if (!powerOfTwo || !Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) {
    throw new RangeError(`unsupported scrypt parameters N=${N},r=${r},p=${p}`);
  }
}

function derive(password: string, salt: Buffer, length: number, { N, r, p }: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r + 128 * r * p + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
