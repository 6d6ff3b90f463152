import type { TimelineOrder } from '@access-monitor/contracts';

/** Where an event sits in a timeline: its time (sortable text, see sortableTime) and, for ties, its uid. */
export interface EventKey {
  time: string;
  uid: string;
}

/** A page next to one already shown, in the order it was shown in: the events after its last, or before its first. */
export type TimelineCursor = { after: EventKey } | { before: EventKey };

/** A subject's events sorted by (event_time, uid), read by position: one execution's result, paged by the engine. */
export interface SortedEvents<Row> {
  total: number;
  read(offset: number, limit: number): Promise<Row[]>;
  key(row: Row): EventKey;
}

export interface PageRequest {
  order: TimelineOrder;
  limit: number;
  /** Open the page holding this event, or the first at or after this time (at most one of at and cursor). */
  at?: { time: string } | { uid: string } | undefined;
  cursor?: TimelineCursor | undefined;
}

export interface TimelinePage<Row> {
  /** In the requested order. */
  rows: Row[];
  /** How many events come before the page, in the requested order. */
  position: number;
  previous: TimelineCursor | null;
  next: TimelineCursor | null;
  /** The event `at` named (or the first at or after its time); null when there is none. */
  target: Row | null;
}

/**
 * `2026-01-09 08:05:00.5` → `2026-01-09T08:05:00.500000000`: instants as text that sorts like time (UTC, nine
 * fraction digits), whether the engine printed them or a URL carried them. Undefined for anything else.
 */
export function sortableTime(value: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(?::(\d{2}))?(?:\.(\d{1,9}))?)?(Z| UTC|[+-]\d{2}(?::?\d{2})?)?$/.exec(value.trim());
  if (!m) return undefined;
  const [, date, hm = '00:00', sec = '00', frac = '', zone] = m;
  if (zone && !/^(Z| UTC|[+-]00(:?00)?)$/.test(zone)) {
    const offset = zone.length === 3 ? `${zone}:00` : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
    const shifted = new Date(`${date}T${hm}:${sec}.${frac.slice(0, 3).padEnd(3, '0')}${offset}`);
    return Number.isNaN(shifted.getTime()) ? undefined : sortableTime(shifted.toISOString());
  }
  return `${date}T${hm}:${sec}.${frac.padEnd(9, '0')}`;
}

const compare = (a: EventKey, b: EventKey): number => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0);

const UID_SCAN_ROWS = 1000;

/**
 * The page a timeline request asks for, over events sorted oldest first. Pages are `limit` events long; cursors are
 * keys, not positions, so a page stays put when events are added elsewhere. `at` lands on the page that holds the
 * event, as if paged from the start; a cursor continues from the key it names. Reads O(log n) single rows to find a
 * key; a uid, which is not sorted, is looked for a thousand rows at a time.
 */
export async function timelinePage<Row>(events: SortedEvents<Row>, request: PageRequest): Promise<TimelinePage<Row>> {
  const { total } = events;
  const { order, limit } = request;
  const keyAt = async (index: number): Promise<EventKey> => events.key((await events.read(index, 1))[0]!);
  /** The first index whose key is not below `key` (total when none). */
  const lowerBound = async (key: EventKey): Promise<number> => {
    let lo = 0;
    let hi = total;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(await keyAt(mid), key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const display = (ascending: number) => (order === 'oldest' ? ascending : total - 1 - ascending);
  const pageOf = (index: number) => Math.floor(index / limit) * limit;

  let start = 0;
  let targetIndex: number | undefined;
  if (request.at && 'time' in request.at) {
    const first = await lowerBound({ time: request.at.time, uid: '' });
    if (first < total) targetIndex = first;
    start = total === 0 ? 0 : pageOf(display(Math.min(first, total - 1)));
  } else if (request.at) {
    const { uid } = request.at;
    for (let offset = 0; offset < total && targetIndex === undefined; offset += UID_SCAN_ROWS) {
      const found = (await events.read(offset, UID_SCAN_ROWS)).findIndex((row) => events.key(row).uid === uid);
      if (found >= 0) targetIndex = offset + found;
    }
    start = targetIndex === undefined ? 0 : pageOf(display(targetIndex));
  } else if (request.cursor) {
    const key = 'after' in request.cursor ? request.cursor.after : request.cursor.before;
    const below = await lowerBound(key);
    const equal = below < total && compare(await keyAt(below), key) === 0 ? 1 : 0;
    if ('after' in request.cursor) start = order === 'oldest' ? below + equal : total - below;
    else start = Math.max(0, (order === 'oldest' ? below : total - below - equal) - limit);
  }
  // Past the end (the cursor's event is gone, or was the last): the last page rather than an empty one.
  if (start >= total) start = total === 0 ? 0 : pageOf(total - 1);

  const count = Math.min(limit, total - start);
  const rows = count <= 0 ? [] : order === 'oldest' ? await events.read(start, count) : (await events.read(total - start - count, count)).reverse();
  const target = targetIndex === undefined ? null : (rows[display(targetIndex) - start] ?? null);
  return {
    rows,
    position: start,
    previous: start > 0 && rows.length > 0 ? { before: events.key(rows[0]!) } : null,
    next: start + rows.length < total && rows.length > 0 ? { after: events.key(rows.at(-1)!) } : null,
    target,
  };
}

/** Cursors travel in URLs as base64url JSON: opaque to clients, checked when they come back. */
export function encodeCursor(cursor: TimelineCursor): string {
  const [direction, key] = 'after' in cursor ? (['a', cursor.after] as const) : (['b', cursor.before] as const);
  return Buffer.from(JSON.stringify([direction, key.time, key.uid])).toString('base64url');
}

/** The cursor, or undefined when the text is not one this server wrote. */
export function decodeCursor(text: string): TimelineCursor | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
  const [direction, time, uid] = parsed as unknown[];
  if ((direction !== 'a' && direction !== 'b') || typeof time !== 'string' || typeof uid !== 'string' || uid.length > 256) return undefined;
  if (sortableTime(time) !== time) return undefined;
  return direction === 'a' ? { after: { time, uid } } : { before: { time, uid } };
}
