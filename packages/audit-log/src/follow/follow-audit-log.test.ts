import { appendFile, mkdir, mkdtemp, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RejectedLine } from '../import/import-audit-log';
import { followAuditLog, FollowSourceMissing } from './follow-audit-log';

let dir: string;
let log: string;
let out: string;
let positionsFile: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'audit-log-follow-'));
  log = path.join(dir, 'teleport', 'log', 'auth-1');
  out = path.join(dir, 'events');
  positionsFile = path.join(dir, 'state', 'positions.json');
  await mkdir(log, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A distinct, valid Teleport login event; `n` makes its uid and time unique. */
const login = (n: number, user = 'alice'): string =>
  JSON.stringify({
    ei: 0,
    event: 'user.login',
    uid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    code: 'T1000I',
    time: new Date(Date.UTC(2026, 10, 20, 10, 0, n)).toISOString(),
    user,
    success: true,
    method: 'local',
  });

async function storedUids(): Promise<string[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const rows = await connection.runAndReadAll(`SELECT uid FROM read_parquet('${out}/*/*.parquet') ORDER BY uid`);
    return rows.getRows().map(([uid]) => String(uid));
  } catch (e) {
    if (/No files found/.test((e as Error).message)) return [];
    throw e;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
const uid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('followAuditLog', () => {
  it('imports only the lines added since the last poll', async () => {
    const file = path.join(log, '2026-11-20.00:00:00.log');
    await writeFile(file, `${login(1)}\n${login(2)}\n`);
    const follower = followAuditLog({ source: path.join(dir, 'teleport'), out, positionsFile });
    expect(await follower.poll()).toMatchObject({ linesRead: 2, imported: 2, duplicates: 0 });
    await appendFile(file, `${login(3)}\n`);
    expect(await follower.poll()).toMatchObject({ linesRead: 1, imported: 1, duplicates: 0 });
    expect(await follower.poll()).toMatchObject({ filesRead: 0, linesRead: 0, imported: 0 });
    expect(await storedUids()).toEqual([uid(1), uid(2), uid(3)]);
  });

  it('waits for a line still being written until its newline arrives', async () => {
    const file = path.join(log, '2026-11-20.00:00:00.log');
    const third = login(3);
    await writeFile(file, `${login(1)}\n${third.slice(0, 20)}`);
    const follower = followAuditLog({ source: log, out, positionsFile });
    expect(await follower.poll()).toMatchObject({ linesRead: 1, imported: 1, rejected: 0 });
    await appendFile(file, `${third.slice(20)}\n`);
    expect(await follower.poll()).toMatchObject({ linesRead: 1, imported: 1, rejected: 0 });
    expect(await storedUids()).toEqual([uid(1), uid(3)]);
  });

  it('resumes from the saved position after a restart', async () => {
    const file = path.join(log, '2026-11-20.00:00:00.log');
    await writeFile(file, `${login(1)}\n`);
    await followAuditLog({ source: log, out, positionsFile }).poll();
    await appendFile(file, `${login(2)}\n`);
    // A new follower, as after a restart: it reads only what was appended.
    expect(await followAuditLog({ source: log, out, positionsFile }).poll()).toMatchObject({ linesRead: 1, imported: 1 });
    expect(await storedUids()).toEqual([uid(1), uid(2)]);
  });

  it('adds nothing twice when the positions were lost (crash before they were saved)', async () => {
    const file = path.join(log, '2026-11-20.00:00:00.log');
    await writeFile(file, `${login(1)}\n${login(2)}\n`);
    await followAuditLog({ source: log, out, positionsFile }).poll();
    await rm(positionsFile);
    await appendFile(file, `${login(3)}\n`);
    expect(await followAuditLog({ source: log, out, positionsFile }).poll()).toMatchObject({ linesRead: 3, imported: 1, duplicates: 2 });
    expect(await storedUids()).toEqual([uid(1), uid(2), uid(3)]);
  });

  it('reads a new day file as Teleport rotates to it', async () => {
    await writeFile(path.join(log, '2026-11-20.00:00:00.log'), `${login(1)}\n`);
    const follower = followAuditLog({ source: log, out, positionsFile });
    await follower.poll();
    await writeFile(path.join(log, '2026-11-21.00:00:00.log'), `${login(2)}\n`);
    expect(await follower.poll()).toMatchObject({ filesRead: 1, imported: 1 });
    expect(await storedUids()).toEqual([uid(1), uid(2)]);
  });

  it('reads a truncated or replaced file again from its start', async () => {
    const file = path.join(log, '2026-11-20.00:00:00.log');
    await writeFile(file, `${login(1)}\n${login(2)}\n`);
    const follower = followAuditLog({ source: log, out, positionsFile });
    await follower.poll();
    // copytruncate-style rotation: same file, emptied, then written again.
    await truncate(file, 0);
    await writeFile(file, `${login(5)}\n`);
    expect(await follower.poll()).toMatchObject({ linesRead: 1, imported: 1 });
    // Replaced by another file under the same name, longer than the old one.
    const replacement = path.join(log, 'replacement.tmp');
    await writeFile(replacement, `${login(6)}\n${login(7)}\n${login(8)}\n`);
    await rename(replacement, file);
    expect(await follower.poll()).toMatchObject({ linesRead: 3, imported: 3 });
    expect(await storedUids()).toEqual([uid(1), uid(2), uid(5), uid(6), uid(7), uid(8)]);
  });

  it('reports bad lines with their line number in the file and keeps following', async () => {
    const file = path.join(log, '2026-11-20.00:00:00.log');
    await writeFile(file, `${login(1)}\n`);
    const rejected: RejectedLine[] = [];
    const follower = followAuditLog({ source: log, out, positionsFile, onRejected: (r) => rejected.push(r) });
    await follower.poll();
    await appendFile(file, `not json\n${login(2)}\n`);
    expect(await follower.poll()).toMatchObject({ linesRead: 2, imported: 1, rejected: 1 });
    expect(rejected.map((r) => [r.file, r.line])).toEqual([[file, 2]]);
  });

  it('reports a line of broken UTF-8 as file:line instead of storing it with U+FFFD, and keeps following', async () => {
    const file = path.join(log, '2026-11-20.00:00:00.log');
    const rejected: RejectedLine[] = [];
    const follower = followAuditLog({ source: log, out, positionsFile, onRejected: (r) => rejected.push(r) });
    const broken = Buffer.from(login(2, 'mallory-XX'));
    const at = broken.indexOf('XX');
    broken[at] = 0xff;
    broken[at + 1] = 0xfe;
    await writeFile(file, Buffer.concat([Buffer.from(`${login(1)}\n`), broken, Buffer.from(`\n${login(3, 'bob\ufffd')}\n`)]));
    expect(await follower.poll()).toMatchObject({ linesRead: 3, imported: 2, rejected: 1 });
    expect(rejected).toEqual([{ file, line: 2, reason: `not valid UTF-8 (byte ${at + 1} of the line)` }]);
    expect(await storedUids()).toEqual([uid(1), uid(3)]);
  });

  it('writes the positions only after the rows before them are stored', async () => {
    const file = path.join(log, '2026-11-20.00:00:00.log');
    await writeFile(file, `${login(1)}\n${login(2)}\n${login(3)}\n`);
    await followAuditLog({ source: log, out, positionsFile, batchRows: 1, readBytes: 64 }).poll();
    const saved = JSON.parse(await readFile(positionsFile, 'utf8')) as { files: Record<string, { offset: number; line: number }> };
    expect(saved.files[file]).toMatchObject({ offset: (await readFile(file)).length, line: 3 });
    expect(await storedUids()).toEqual([uid(1), uid(2), uid(3)]);
  });

  it('treats a log folder without files yet as idle, and a missing one as an error naming it', async () => {
    expect(await followAuditLog({ source: log, out, positionsFile }).poll()).toMatchObject({ filesRead: 0, imported: 0 });
    const missing = path.join(dir, 'nowhere');
    await expect(followAuditLog({ source: missing, out, positionsFile }).poll()).rejects.toThrow(FollowSourceMissing);
    await expect(followAuditLog({ source: missing, out, positionsFile }).poll()).rejects.toThrow(missing);
  });
});
