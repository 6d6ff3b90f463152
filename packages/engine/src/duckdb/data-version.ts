import { createHash } from 'node:crypto';
import type { DateWindow } from '@access-monitor/contracts';
import { listWindowDays } from './window-files';

/**
 * A fingerprint of the window's audit data: every finished `*.parquet` chunk of its date folders with
 * size and mtime, as the engine lists them to run a query. Writers only add chunks (temp name + rename),
 * so new events always change it; it costs one readdir per date and one stat per chunk, no Parquet read.
 */
export async function windowDataVersion(dataDir: string, window: DateWindow): Promise<string> {
  const days = await listWindowDays(dataDir, window);
  const lines = days.map((d) => `${d.date}:${d.files.map((f) => `${f.name}/${f.size}/${f.mtimeMs}`).join(',')}`);
  return createHash('sha256').update(lines.join('\n')).digest('base64url');
}
