import { parseEventLine } from '../events/parse-event-line';
import { AthenaParquetWriter, type FlushResult } from '../parquet/athena-parquet-writer';
import { athenaRowOf } from '../parquet/athena-row';
import { auditLogFiles } from './audit-log-files';
import { readCheckedLineBatches, type InvalidUtf8Line } from './read-lines';

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
      for await (const [firstLine, lines] of numberedLineBatches(file, reject)) {
        for (let i = 0; i < lines.length; i++) {
          const line = lines[i]!;
          const lineNumber = firstLine + i;
          if (typeof line !== 'string') {
            // Evidence is imported as written or not at all: never with U+FFFD in place of bytes.
            result.linesRead++;
            reject({ file, line: lineNumber, reason: `not valid UTF-8 (byte ${line.byteOffset + 1} of the line)` });
            continue;
          }
          if (isBlank(line)) continue;
          result.linesRead++;
          const parsed = parseEventLine(line);
          if (!parsed.ok) {
            reject({ file, line: lineNumber, reason: parsed.reason });
            continue;
          }
          // The line as read, not a re-serialisation: re-imports must compare equal.
          writer.append(athenaRowOf(parsed.event, parsed.time.getTime(), line));
        }
        if (writer.pendingRows >= batchRows) await handOff();
      }
    }
    await handOff();
    count(await writing!);
  } finally {
    writer.close();
  }
  return result;
}

/** `line.trim() === ''` without trimming an event: a line that starts like one is not blank. */
function isBlank(line: string): boolean {
  return line.charCodeAt(0) !== 0x7b /* { */ && line.trim() === '';
}

/**
 * The lines of a file, a read at a time, each batch with the 1-based number of its first line. A read
 * error (say, a .gz truncated while being copied) ends the file like a cut-off last line would: it is
 * reported as a rejection where reading stopped, and what came before is kept.
 */
async function* numberedLineBatches(file: string, reject: (rejected: RejectedLine) => void): AsyncGenerator<[number, Array<string | InvalidUtf8Line>]> {
  const batches = readCheckedLineBatches(file);
  let lineNumber = 0;
  try {
    for (;;) {
      let next: IteratorResult<Array<string | InvalidUtf8Line>>;
      try {
        next = await batches.next();
      } catch (error) {
        reject({ file, line: lineNumber + 1, reason: `unreadable from here on: ${(error as Error).message}` });
        return;
      }
      if (next.done) return;
      yield [lineNumber + 1, next.value];
      lineNumber += next.value.length;
    }
  } finally {
    await batches.return(undefined);
  }
}
