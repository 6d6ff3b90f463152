import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { windowDates, type DateWindow } from '@access-monitor/contracts';

export interface WindowFiles {
  /** Absolute paths of the window's Parquet files, oldest date first. */
  files: string[];
  /** Their total size: what the DuckDB engine reports as bytes scanned. */
  bytes: number;
}

/** Writers (Teleport's, ours) write `.<chunk>.parquet.tmp` and rename; only finished `*.parquet` files count. */
const isParquetFile = (name: string): boolean => name.endsWith('.parquet') && !name.startsWith('.') && !name.startsWith('_');

/**
 * Partition pruning like Athena's partition projection: only the `<YYYY-MM-DD>` folders of the
 * window's dates are listed, and only those that exist.
 */
export async function listWindowFiles(dataDir: string, window: DateWindow): Promise<WindowFiles> {
  const perDate = await Promise.all(windowDates(window).map((date) => parquetFilesOf(path.join(dataDir, date))));
  const found = perDate.flat();
  return { files: found.map((f) => f.file), bytes: found.reduce((sum, f) => sum + f.size, 0) };
}

async function parquetFilesOf(folder: string): Promise<Array<{ file: string; size: number }>> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw e;
  }
  // Regular files only: a symlink could point DuckDB outside the data folder.
  const names = entries.filter((e) => e.isFile() && isParquetFile(e.name)).map((e) => e.name).sort();
  const files = await Promise.all(
    names.map(async (name) => {
      const file = path.join(folder, name);
      try {
        const s = await stat(file);
        return { file, size: s.size };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // removed while listing
        throw e;
      }
    }),
  );
  return files.filter((f): f is { file: string; size: number } => f !== undefined);
}
