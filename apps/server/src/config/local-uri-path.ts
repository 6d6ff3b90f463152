import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** `parquet:///abs/path`, `file:///abs`, or relative `parquet://./events` (resolved against the config file's folder). */
export function localUriPath(uri: string, scheme: string, baseDir: string): string {
  const rest = uri.slice(scheme.length + 2);
  if (rest.startsWith('/')) return fileURLToPath(pathToFileURL(rest));
  return path.resolve(baseDir, rest);
}
