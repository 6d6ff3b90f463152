// Keeps a Parquet folder current with a Teleport file audit log that is still being written
// (`audit_sources: [file:///var/lib/teleport/log]`): each poll imports the complete lines added
// since the saved position of every file.
import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { writeFileAtomic } from '@access-monitor/storage';
import { AthenaParquetWriter } from '../parquet/athena-parquet-writer';
import { auditLogFiles, NoAuditLogFiles } from '../import/audit-log-files';
import type { RejectedLine } from '../import/import-audit-log';
import { takeEventLine } from '../import/take-event-line';
import { decodeUtf8Line, isGzip, readCheckedLines, type InvalidUtf8Line } from '../import/read-lines';

export interface FollowOptions {
  /** A Teleport data folder, its `log` folder, an auth-server folder, or one file. */
  source: string;
  /** Parquet folder in the Athena layout that the new events go to. */
  out: string;
  /** Where the position in every file is kept between polls and restarts. */
  positionsFile: string;
  onRejected?: (rejected: RejectedLine) => void;
  /** Rows held in memory before they are written (and the positions saved). */
  batchRows?: number;
  /** Bytes read from a file at a time. */
  readBytes?: number;
}

export interface PollResult {
  filesRead: number;
  linesRead: number;
  imported: number;
  duplicates: number;
  rejected: number;
}

/** What is known of a file between polls. */
interface FilePosition {
  /** Bytes consumed: everything before is imported; always just after a newline. */
  offset: number;
  /** Lines consumed, for `file:line` in rejections. */
  line: number;
  ino: number;
  /** SHA-256 of the file's first `headLength` bytes: a file replaced under the same name and inode is read again. */
  head: string;
  /** Bytes hashed: HEAD_BYTES, or the whole file when it was shorter (appending never changes them). */
  headLength: number;
}

interface PositionsFile {
  version: 1;
  files: Record<string, FilePosition>;
}

const HEAD_BYTES = 512;

export class FollowSourceMissing extends Error {
  override name = 'FollowSourceMissing';
  constructor(readonly source: string, cause: Error) {
    super(`audit source ${source} cannot be read: ${cause.message}`, { cause });
  }
}

export interface AuditLogFollower {
  /** Imports what was added since the last poll. Never run two at once. */
  poll(): Promise<PollResult>;
}

/**
 * Follows a Teleport file audit log. Idempotent and crash-safe: positions are saved only after
 * the rows before them are written, and rows are deduplicated against what is stored, so a crash
 * between the two re-reads a few lines and adds nothing twice. Rotation-safe: a file that shrank,
 * changed inode or changed its first bytes is read again from the start; a new file is read whole.
 * A line still being written (no newline yet) waits for the next poll. Gzip files are read whole
 * once, when they appear or change.
 */
export function followAuditLog(options: FollowOptions): AuditLogFollower {
  const batchRows = options.batchRows ?? 50_000;
  const readBytes = options.readBytes ?? 4 << 20;
  let running = false;

  return {
    async poll() {
      if (running) throw new Error('followAuditLog: poll() called while the previous poll runs');
      running = true;
      try {
        return await pollOnce();
      } finally {
        running = false;
      }
    },
  };

  async function pollOnce(): Promise<PollResult> {
    const result: PollResult = { filesRead: 0, linesRead: 0, imported: 0, duplicates: 0, rejected: 0 };
    const files = await listFiles(options.source);
    const saved = await loadPositions(options.positionsFile);
    // Positions of files no longer on disk are dropped: the folder is the truth.
    const positions: Record<string, FilePosition> = {};
    for (const file of files) if (saved.files[file]) positions[file] = saved.files[file];

    const writer = await AthenaParquetWriter.open(options.out);
    // Positions reached by appended rows; copied into `positions` only once those rows are written.
    const reached = new Map<string, FilePosition>();
    const commit = async (): Promise<void> => {
      const flushed = await writer.flush({ skipDuplicates: true });
      result.imported += flushed.written;
      result.duplicates += flushed.duplicates;
      for (const [file, pos] of reached) positions[file] = pos;
      reached.clear();
      await savePositions(options.positionsFile, { version: 1, files: positions });
    };
    const reject = (rejected: RejectedLine): void => {
      result.rejected++;
      options.onRejected?.(rejected);
    };
    const take = (file: string, lineNumber: number, line: string | InvalidUtf8Line): void =>
      takeEventLine(writer, line, result, (reason) => reject({ file, line: lineNumber, reason }));

    try {
      for (const file of files) {
        const info = await stat(file);
        const known = positions[file];
        const unchanged =
          known !== undefined && known.ino === info.ino && known.offset <= info.size && known.headLength <= info.size && known.head === (await headHash(file, known.headLength));
        if (unchanged && known.offset === info.size) continue;
        result.filesRead++;
        const headLength = Math.min(HEAD_BYTES, info.size);
        const head = await headHash(file, headLength);

        if (await isGzip(file)) {
          // A compressed file cannot be appended to: it is read whole whenever it is new or changed.
          let lineNumber = 0;
          for await (const line of readCheckedLines(file)) take(file, ++lineNumber, line);
          reached.set(file, { offset: info.size, line: lineNumber, ino: info.ino, head, headLength });
          if (writer.pendingRows >= batchRows) await commit();
          continue;
        }

        let pos: FilePosition = unchanged ? { ...known, head, headLength } : { offset: 0, line: 0, ino: info.ino, head, headLength };
        const handle = await open(file, 'r');
        try {
          let carry = Buffer.alloc(0);
          let readAt = pos.offset;
          while (readAt < info.size) {
            const want = Math.min(readBytes, info.size - readAt);
            const { bytesRead, buffer } = await handle.read(Buffer.alloc(want), 0, want, readAt);
            if (bytesRead === 0) break;
            readAt += bytesRead;
            const chunk = carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, bytesRead)]) : buffer.subarray(0, bytesRead);
            const lastNewline = chunk.lastIndexOf(0x0a);
            if (lastNewline < 0) {
              carry = chunk;
              continue;
            }
            const complete = chunk.subarray(0, lastNewline + 1);
            carry = chunk.subarray(lastNewline + 1);
            let lineNumber = pos.line;
            // Each line decoded on its own, so one line of broken UTF-8 is reported and the others kept.
            for (let from = 0, at = complete.indexOf(0x0a); at >= 0; from = at + 1, at = complete.indexOf(0x0a, from)) {
              let line = decodeUtf8Line(complete.subarray(from, at));
              // A UTF-8 byte order mark is not part of the first event.
              if (from === 0 && pos.offset === 0 && typeof line === 'string' && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
              take(file, ++lineNumber, line);
            }
            pos = { ...pos, offset: pos.offset + complete.length, line: lineNumber };
            reached.set(file, pos);
            if (writer.pendingRows >= batchRows) await commit();
          }
        } finally {
          await handle.close();
        }
        // The first poll of an empty file still records it, so its identity is known.
        if (!reached.has(file) && positions[file] === undefined) reached.set(file, pos);
      }
      await commit();
    } finally {
      writer.close();
    }
    return result;
  }
}

async function listFiles(source: string): Promise<string[]> {
  try {
    return await auditLogFiles(source);
  } catch (e) {
    // A log folder with no file yet is an idle cluster, not an error.
    if (e instanceof NoAuditLogFiles) return [];
    throw new FollowSourceMissing(source, e as Error);
  }
}

async function headHash(file: string, length: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(length), 0, length, 0);
    return createHash('sha256').update(buffer.subarray(0, bytesRead)).digest('hex');
  } finally {
    await handle.close();
  }
}

async function loadPositions(file: string): Promise<PositionsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, files: {} };
    throw e;
  }
  try {
    const parsed = JSON.parse(text) as PositionsFile;
    if (parsed.version === 1 && typeof parsed.files === 'object' && parsed.files !== null) return parsed;
  } catch {
    // fall through: an unreadable positions file means reading everything again, which dedupe makes safe
  }
  return { version: 1, files: {} };
}

async function savePositions(file: string, positions: PositionsFile): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(positions, null, 2)}\n`);
}
