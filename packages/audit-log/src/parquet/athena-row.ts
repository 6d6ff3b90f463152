import type { AuditEvent, KnownAuditEvent } from '../events/audit-events';

/**
 * One row of Teleport's Athena audit table (TELEPORT-EVENTS.md §6, `eventParquet`).
 * The partition date is not a column: it is the folder, the UTC date of `event_time`.
 */
export interface AthenaRow {
  uid: string;
  /** `sid`, or "" for events without a session. */
  sessionId: string;
  eventType: string;
  /** `event_time` in ms since the epoch; Athena stores timestamp(millisecond). */
  eventTimeMs: number;
  /** The whole event JSON. */
  eventData: string;
  /** Top-level `user`, or "" (e.g. `instance.join`, `cert.create`). */
  user: string;
}

/**
 * The row Teleport's Athena consumer writes for an event. `eventData` defaults to
 * `JSON.stringify(event)`; importers pass the line exactly as read so that re-imports
 * compare equal.
 */
export function athenaRowOf(event: AuditEvent | KnownAuditEvent, eventTimeMs: number, eventData: string = JSON.stringify(event)): AthenaRow {
  const fields = event as { event: string; uid?: unknown; sid?: unknown; user?: unknown };
  return {
    uid: typeof fields.uid === 'string' ? fields.uid : '',
    sessionId: typeof fields.sid === 'string' ? fields.sid : '',
    eventType: fields.event,
    eventTimeMs,
    eventData,
    user: typeof fields.user === 'string' ? fields.user : '',
  };
}
