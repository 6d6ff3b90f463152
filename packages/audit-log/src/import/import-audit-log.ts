import { AthenaParquetWriter, type FlushResult } from '../parquet/athena-parquet-writer';
import { takeEventLine } from './take-event-line';
import { auditLogFiles } from './audit-log-files';
import { scanEventLine } from '../events/scan-event-line';
import { decodeUtf8Line, readLineChunks, type InvalidUtf8Line, type LineChunk } from './read-lines';

export interface RejectedLine {
  file: string;
  /** 1-based. */
  line: number;
  reason: string;
}

export interface ImportOptions {
  /** Parquet folder in the Athena layout (`<out>/<YYYY-MM-DD>/<chunk>.parquet`). */
  out: string;
  /** JSON-lines files (plain or gzip), or Teleport data / `log` / auth-server folders. */
  inputs: string[];
  /** Called for each bad line as it is met, e.g. to print it. */
  onRejected?: (rejected: RejectedLine) => void;
  /** Rows held in memory before they are deduplicated and written. */
  batchRows?: number;
}

export interface ImportResult {
  /** Non-blank lines read: imported + duplicates + rejected. */
  linesRead: number;
  imported: number;
  duplicates: number;
  rejected: RejectedLine[];
}

/** `file:line: reason`, the way compilers report it. */
export function describeRejectedLine(rejected: RejectedLine): string {
  return `${rejected.file}:${rejected.line}: ${rejected.reason}`;
}

/**
 * Imports Teleport audit events into the Athena layout. Idempotent: an event already stored
 * (same uid, event_time and whole event JSON, the identity Athena's reader deduplicates on)
 * is skipped, so re-importing a file adds nothing, while different events that share a uid,
 * or have none, are all kept. New rows always go to new chunk files.
 */
export async function importAuditLog(options: ImportOptions): Promise<ImportResult> {
  const batchRows = options.batchRows ?? 100_000;
  const result: ImportResult = { linesRead: 0, imported: 0, duplicates: 0, rejected: [] };
  const files: string[] = [];
  for (const input of options.inputs) files.push(...(await auditLogFiles(input)));

  const writer = await AthenaParquetWriter.open(options.out);
  const count = (flushed: FlushResult): void => {
    result.imported += flushed.written;
    result.duplicates += flushed.duplicates;
  };
  // One batch is written by DuckDB while the next is read and parsed here.
  let writing: Promise<FlushResult> | undefined;
  const handOff = async (): Promise<void> => {
    if (writing) count(await writing);
    const { written } = await writer.startFlush({ skipDuplicates: true });
    written.catch(() => undefined); // awaited at the next hand-off or the end
    writing = written;
  };
  try {
    const reject = (rejected: RejectedLine): void => {
      result.rejected.push(rejected);
      options.onRejected?.(rejected);
    };
    for (const file of files) {
      const chunks = readLineChunks(file);
      let lineNumber = 0;
      try {
        for (;;) {
          let next: IteratorResult<LineChunk>;
          try {
            next = await chunks.next();
          } catch (error) {
            // A read error (say, a .gz truncated while being copied) ends the file like a cut-off last line
            // would: it is reported where reading stopped, and what came before is kept.
            reject({ file, line: lineNumber + 1, reason: `unreadable from here on: ${(error as Error).message}` });
            break;
          }
          if (next.done) break;
          lineNumber = takeLines(next.value, file, lineNumber, writer, result, reject);
          if (writer.pendingRows >= batchRows) await handOff();
        }
      } finally {
        await chunks.return(undefined);
      }
    }
    await handOff();
    count(await writing!);
  } finally {
    writer.close();
  }
  return result;
}

/**
 * Appends the events of a chunk of whole lines, rejecting the bad ones; the number of the chunk's last
 * line. Lines are found and checked as bytes (scanEventLine), and an event the scan is sure of is copied
 * to the writer as it was read; only the others are decoded and given parseEventLine's answer.
 */
function takeLines(
  chunk: LineChunk,
  file: string,
  lineNumber: number,
  writer: AthenaParquetWriter,
  result: ImportResult,
  reject: (rejected: RejectedLine) => void,
): number {
  const { bytes, utf8 } = chunk;
  const size = bytes.length;
  for (let from = 0; from < size; ) {
    lineNumber++;
    // The first line of a file may start with a byte order mark, which only the slow way removes.
    const fields = utf8 && lineNumber > 1 ? scanEventLine(bytes, from, size) : undefined;
    if (fields !== undefined) {
      let at = fields.end;
      if (bytes[at] === CR) at++;
      if (at === size || bytes[at] === LF) {
        result.linesRead++;
        // The line as read, not a re-serialisation: re-imports must compare equal.
        writer.appendCleanBytes({ uid: fields.uid, sessionId: fields.sid, eventType: fields.event, eventTimeMs: fields.timeMs, user: fields.user }, bytes, from, fields.end);
        from = at + 1;
        continue;
      }
    }
    const lf = bytes.indexOf(LF, from);
    const lineEnd = lf < 0 ? size : lf;
    takeDecodedLine(decodeUtf8Line(bytes.subarray(from, lineEnd)), file, lineNumber, writer, result, reject);
    from = lineEnd + 1;
  }
  return lineNumber;
}

/** One line the way every line was taken before the byte scan: decoded, then parsed. */
function takeDecodedLine(
  decoded: string | InvalidUtf8Line,
  file: string,
  lineNumber: number,
  writer: AthenaParquetWriter,
  result: ImportResult,
  reject: (rejected: RejectedLine) => void,
): void {
  // A UTF-8 byte order mark is not part of the first event.
  const line = lineNumber === 1 && typeof decoded === 'string' && decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
  takeEventLine(writer, line, result, (reason) => reject({ file, line: lineNumber, reason }));
}

const LF = 0x0a;
const CR = 0x0d;
