import type { WindowDays } from '@access-monitor/contracts';
import { parseReportWindow } from '../../components/window-param';

export type TimelineSubject = { user: string } | { session: string };

export type TimelineOrder = 'oldest' | 'newest';

export interface TimelineParams {
  /** Whose events: exactly one of user or session; undefined when the URL names neither (or both). */
  subject: TimelineSubject | undefined;
  days: WindowDays;
  /** Last UTC day of the window (`YYYY-MM-DD`); undefined means today. */
  end: string | undefined;
  /** The event to open at and mark: its time (ISO 8601), its uid, or a UTC day to jump to. */
  at: string | undefined;
  /** A page next to one shown (the server's opaque cursor). */
  cursor: string | undefined;
  /** Only these event types; empty means all. */
  types: string[];
  order: TimelineOrder;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const AT = /^(\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z| UTC|[+-]\d{2}:?\d{2})?)?|[A-Za-z0-9][A-Za-z0-9._:-]*)$/;
const CURSOR = /^[A-Za-z0-9_-]{1,2048}$/;
const EVENT_TYPE = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * `/timeline?user=…|session=…&days=…[&end=…][&at=…|&cursor=…][&types=a,b][&order=newest]`, read leniently:
 * a bad value falls back (the server would refuse it), never throws.
 */
export function parseTimelineParams(params: URLSearchParams): TimelineParams {
  const user = params.get('user') || undefined;
  const session = params.get('session') || undefined;
  const subject = user !== undefined && session === undefined ? { user } : session !== undefined && user === undefined ? { session } : undefined;
  const rawEnd = params.get('end');
  const end = rawEnd !== null && ISO_DATE.test(rawEnd) && isCalendarDate(rawEnd) ? rawEnd : undefined;
  const rawAt = params.get('at');
  const at = rawAt !== null && rawAt.length <= 128 && AT.test(rawAt) && (!/^\d{4}-/.test(rawAt) || isCalendarDate(rawAt.slice(0, 10))) ? rawAt : undefined;
  const rawCursor = params.get('cursor');
  // `at` wins: a link to an event must land on it.
  const cursor = at === undefined && rawCursor !== null && CURSOR.test(rawCursor) ? rawCursor : undefined;
  const types = [...new Set((params.get('types') ?? '').split(',').map((t) => t.trim()))].filter((t) => EVENT_TYPE.test(t)).slice(0, 64);
  const order = params.get('order') === 'newest' ? 'newest' : 'oldest';
  return { subject, days: parseReportWindow(params.get('days')), end, at, cursor, types, order };
}

const isCalendarDate = (s: string) => {
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(s);
};

/** The event as Teleport wrote it, indented for reading; left as it came when it is not JSON. */
export function prettyEventJson(eventData: string): string {
  try {
    return JSON.stringify(JSON.parse(eventData), null, 2);
  } catch {
    return eventData;
  }
}
