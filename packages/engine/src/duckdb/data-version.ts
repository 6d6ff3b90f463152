import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { windowDates, type DateWindow } from '@access-monitor/contracts';

/**
 * A fingerprint of the window's audit data: every finished `*.parquet` chunk of its date folders with
 * size and mtime. Writers only add chunks (temp name + rename), so new events always change it; it costs
 * one readdir per date and one stat per chunk, no Parquet read.
 */
export async function windowDataVersion(dataDir: string, window: DateWindow): Promise<string> {
  const days = await Promise.all(windowDates(window).map(async (date) => `${date}:${(await chunksOf(path.join(dataDir, date))).join(',')}`));
  return createHash('sha256').update(days.join('\n')).digest('base64url');
}

async function chunksOf(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw e;
  }
  const chunks = names.filter((n) => n.endsWith('.parquet') && !n.startsWith('.') && !n.startsWith('_')).sort();
  const seen = await Promise.all(
    chunks.map(async (name) => {
      try {
        const s = await stat(path.join(folder, name));
        return `${name}/${s.size}/${s.mtimeMs}`;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return `${name}/gone`; // removed while listing
        throw e;
      }
    }),
  );
  return seen;
}
