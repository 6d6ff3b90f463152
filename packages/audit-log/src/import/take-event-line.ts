import { parseEventLine } from '../events/parse-event-line';
import type { AthenaParquetWriter } from '../parquet/athena-parquet-writer';
import { athenaRowOf } from '../parquet/athena-row';
import type { InvalidUtf8Line } from './read-lines';

/**
 * Takes one decoded line of a Teleport log, as the importer and the follower both do: a blank line is
 * skipped; an event is appended to `writer` as its Athena row, keeping the line as read (re-imports must
 * compare equal); anything else is counted as read and refused with its reason.
 */
export function takeEventLine(writer: AthenaParquetWriter, line: string | InvalidUtf8Line, counts: { linesRead: number }, refuse: (reason: string) => void): void {
  if (typeof line !== 'string') {
    // Evidence is imported as written or not at all: never with U+FFFD in place of bytes.
    counts.linesRead++;
    refuse(`not valid UTF-8 (byte ${line.byteOffset + 1} of the line)`);
    return;
  }
  if (isBlank(line)) return;
  counts.linesRead++;
  const parsed = parseEventLine(line);
  if (!parsed.ok) return refuse(parsed.reason);
  writer.append(athenaRowOf(parsed.event, parsed.time.getTime(), line));
}

/** `line.trim() === ''` without trimming an event: a line that starts like one is not blank. */
function isBlank(line: string): boolean {
  return line.charCodeAt(0) !== 0x7b /* { */ && line.trim() === '';
}
