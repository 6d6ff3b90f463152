// Finds the event files of a Teleport file ("dir") audit backend as it lies on disk
// (TELEPORT-EVENTS.md §5): <data_dir>/log/<auth-server-id>/<YYYY-MM-DD.hh:mm:ss>.log.
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Subfolders of the log folder that are not auth servers (Teleport's getAuthServers, plus `sessions`). */
const NOT_AUTH_SERVERS = new Set(['playbacks', 'upload', 'records', 'sessions']);

export class NoAuditLogFiles extends Error {
  constructor(readonly input: string) {
    super(`no Teleport audit log files (*.log) found under ${input}`);
    this.name = 'NoAuditLogFiles';
  }
}

/**
 * The files to read for one import input: the input itself when it is a file (JSON lines,
 * plain or gzip), otherwise the `*.log` files of every auth server in a Teleport data
 * folder, its `log` folder, or a single auth-server folder. Each auth server's files come
 * in name order, which is time order.
 */
export async function auditLogFiles(input: string): Promise<string[]> {
  if (!(await stat(input)).isDirectory()) return [input];
  const entries = await readdir(input, { withFileTypes: true });
  const own = logFilesAmong(input, entries);
  if (own.length > 0) return own;
  const logFolder = entries.find((e) => e.isDirectory() && e.name === 'log');
  const authServers = logFolder ? await readdir(path.join(input, 'log'), { withFileTypes: true }) : entries;
  const base = logFolder ? path.join(input, 'log') : input;
  const files: string[] = [];
  for (const entry of authServers.filter((e) => e.isDirectory() && !NOT_AUTH_SERVERS.has(e.name)).sort(byName)) {
    const folder = path.join(base, entry.name);
    files.push(...logFilesAmong(folder, await readdir(folder, { withFileTypes: true })));
  }
  if (files.length === 0) throw new NoAuditLogFiles(input);
  return files;
}

/**
 * Regular `*.log` files only: the `events.log` symlink Teleport keeps pointing at the
 * current file would otherwise be read twice.
 */
function logFilesAmong(folder: string, entries: Dirent[]): string[] {
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.log'))
    .sort(byName)
    .map((e) => path.join(folder, e.name));
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
