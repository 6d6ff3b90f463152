import { parseEventLine } from '../events/parse-event-line';
import type { AthenaParquetWriter } from '../parquet/athena-parquet-writer';
import { athenaRowOf } from '../parquet/athena-row';

/**
 * Appends one non-blank line of a Teleport log to `writer` as its Athena row, keeping the line as read
 * (re-imports must compare equal); the reason it is refused otherwise.
 */
export function appendEventLine(writer: AthenaParquetWriter, line: string): string | undefined {
  const parsed = parseEventLine(line);
  if (!parsed.ok) return parsed.reason;
  writer.append(athenaRowOf(parsed.event, parsed.time.getTime(), line));
  return undefined;
}
