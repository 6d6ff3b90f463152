import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { windowDates, type DateWindow } from '@access-monitor/contracts';

export interface WindowFiles {
  /** Absolute paths of the window's Parquet files, oldest date first. */
  files: string[];
  /** Their total size: what the DuckDB engine reports as bytes scanned. */
  bytes: number;
}

/** One Parquet chunk of Teleport's layout, as the typed event store compares it with what it covered. */
export interface SourceFile {
  /** Absolute path. */
  file: string;
  /** File name inside its date folder. */
  name: string;
  size: number;
  mtimeMs: number;
}

export interface SourceDay {
  date: string;
  files: SourceFile[];
}

/** Writers (Teleport's, ours) write `.<chunk>.parquet.tmp` and rename; only finished `*.parquet` files count. */
const isParquetFile = (name: string): boolean => name.endsWith('.parquet') && !name.startsWith('.') && !name.startsWith('_');

/** A date folder of Teleport's layout. */
export const isDateFolder = (name: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(name);

/**
 * Partition pruning like Athena's partition projection: only the `<YYYY-MM-DD>` folders of the
 * window's dates are listed, and only those that exist.
 */
export async function listWindowFiles(dataDir: string, window: DateWindow): Promise<WindowFiles> {
  return windowFilesOf(await listWindowDays(dataDir, window));
}

/** The window's source files grouped by date folder, days without files left out. */
export async function listWindowDays(dataDir: string, window: DateWindow): Promise<SourceDay[]> {
  const days = await Promise.all(windowDates(window).map(async (date) => ({ date, files: await parquetFilesOf(path.join(dataDir, date)) })));
  return days.filter((d) => d.files.length > 0);
}

export function windowFilesOf(days: readonly SourceDay[]): WindowFiles {
  const found = days.flatMap((d) => d.files);
  return { files: found.map((f) => f.file), bytes: found.reduce((sum, f) => sum + f.size, 0) };
}

/** Every date folder of the data folder with its Parquet files, oldest first. */
export async function listAllDays(dataDir: string): Promise<SourceDay[]> {
  const entries = await readdir(dataDir, { withFileTypes: true });
  const dates = entries.filter((e) => e.isDirectory() && isDateFolder(e.name)).map((e) => e.name).sort();
  const days = await Promise.all(dates.map(async (date) => ({ date, files: await parquetFilesOf(path.join(dataDir, date)) })));
  return days.filter((d) => d.files.length > 0);
}

async function parquetFilesOf(folder: string): Promise<SourceFile[]> {
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
    names.map(async (name): Promise<SourceFile | undefined> => {
      const file = path.join(folder, name);
      try {
        const s = await stat(file);
        return { file, name, size: s.size, mtimeMs: s.mtimeMs };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // removed while listing
        throw e;
      }
    }),
  );
  return files.filter((f): f is SourceFile => f !== undefined);
}
