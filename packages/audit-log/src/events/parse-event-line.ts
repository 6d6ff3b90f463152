import type { AuditEvent } from './audit-events';
import { parseRfc3339Millis } from './rfc3339';

export type ParsedEventLine = { ok: true; event: AuditEvent; time: Date } | { ok: false; reason: string };

/**
 * Parses one line of a Teleport JSON-lines audit log. Only what every event must have is
 * checked (a JSON object with a string `event` and an RFC 3339 `time`); everything else is
 * kept verbatim, since real logs have quirks: non-UUID or missing `uid`, missing `proto`,
 * fields this project does not know.
 */
export function parseEventLine(line: string): ParsedEventLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `not a JSON object (${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value})` };
  }
  const record = value as Record<string, unknown>;
  if (typeof record.event !== 'string' || record.event === '') return { ok: false, reason: 'no "event" string' };
  if (record.time === undefined) return { ok: false, reason: 'no "time"' };
  if (typeof record.time !== 'string') return { ok: false, reason: '"time" is not a string' };
  const millis = parseRfc3339Millis(record.time);
  if (millis === undefined) return { ok: false, reason: `"time" is not an RFC 3339 timestamp: ${JSON.stringify(record.time.slice(0, 40))}` };
  return { ok: true, event: record as AuditEvent, time: new Date(millis) };
}
