import { InvalidKey } from './errors';

export const MAX_KEY_BYTES = 1024;

/**
 * Throws InvalidKey unless `key` is a portable object key. `.` segments are refused as well as `..`:
 * on a filesystem `a/./b` would be a second name for `a/b`.
 */
export function assertValidKey(key: string): void {
  if (typeof key !== 'string' || key === '') throw new InvalidKey(String(key), 'it is empty');
  if (key.includes('\0')) throw new InvalidKey(key, 'it contains NUL');
  const bytes = Buffer.from(key, 'utf8');
  // Lone surrogates would turn into U+FFFD, giving two keys the same bytes.
  if (bytes.toString('utf8') !== key) throw new InvalidKey(key, 'it is not well-formed Unicode');
  if (bytes.length > MAX_KEY_BYTES) throw new InvalidKey(key, `it is ${bytes.length} bytes long, over ${MAX_KEY_BYTES}`);
  if (key.startsWith('/')) throw new InvalidKey(key, 'it starts with "/"');
  for (const segment of key.split('/')) {
    if (segment === '') throw new InvalidKey(key, 'it has an empty segment');
    if (segment === '.' || segment === '..') throw new InvalidKey(key, `it has a "${segment}" segment`);
  }
}

/** Orders keys as S3 lists them: by their UTF-8 bytes (JS `<` compares UTF-16 units, which differs above U+FFFF). */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
