import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, sortableTime, timelinePage, type EventKey, type PageRequest, type SortedEvents } from './timeline-pages';

/** 25 events, one a minute from 10:00, two of them at the same instant (ties go by uid). */
const KEYS: EventKey[] = Array.from({ length: 25 }, (_, i) => ({
  time: sortableTime(`2026-01-09 10:${String(i === 13 ? 12 : i).padStart(2, '0')}:00`)!,
  uid: `u${String(i).padStart(2, '0')}`,
}));

function sorted(keys: readonly EventKey[]): SortedEvents<EventKey> & { reads: number } {
  const events = {
    total: keys.length,
    reads: 0,
    read: async (offset: number, limit: number) => {
      events.reads++;
      return keys.slice(offset, offset + limit);
    },
    key: (row: EventKey) => row,
  };
  return events;
}
const uids = (rows: readonly EventKey[]) => rows.map((r) => r.uid);
const page = (request: Partial<PageRequest>) => timelinePage(sorted(KEYS), { order: 'oldest', limit: 10, ...request });

describe('timeline pages', () => {
  it('opens at the start, oldest or newest first, with a cursor only where there is more', async () => {
    const first = await page({});
    expect(uids(first.rows)).toEqual(['u00', 'u01', 'u02', 'u03', 'u04', 'u05', 'u06', 'u07', 'u08', 'u09']);
    expect(first).toMatchObject({ position: 0, previous: null, next: { after: KEYS[9] }, target: null });
    const newest = await page({ order: 'newest' });
    expect(uids(newest.rows).slice(0, 3)).toEqual(['u24', 'u23', 'u22']);
    expect(newest.next).toEqual({ after: KEYS[15] });
  });

  it('walks forward and back by cursor in either order, ending on a short last page', async () => {
    const second = await page({ cursor: { after: KEYS[9]! } });
    expect(second.position).toBe(10);
    expect(uids(second.rows)[0]).toBe('u10');
    const third = await page({ cursor: second.next! });
    expect(uids(third.rows)).toEqual(['u20', 'u21', 'u22', 'u23', 'u24']);
    expect(third.next).toBeNull();
    const back = await page({ cursor: third.previous! });
    expect(uids(back.rows)).toEqual(uids(second.rows));
    expect(back.position).toBe(10);

    const newestSecond = await page({ order: 'newest', cursor: { after: KEYS[15]! } });
    expect(uids(newestSecond.rows)).toEqual(['u14', 'u13', 'u12', 'u11', 'u10', 'u09', 'u08', 'u07', 'u06', 'u05']);
    const newestBack = await page({ order: 'newest', cursor: newestSecond.previous! });
    expect(newestBack.position).toBe(0);
    expect(uids(newestBack.rows)[0]).toBe('u24');
  });

  it('keeps a tie at one instant on one side of the cursor only', async () => {
    // u12 and u13 share 10:12.
    const upTo12 = await timelinePage(sorted(KEYS), { order: 'oldest', limit: 13, cursor: { after: KEYS[12]! } });
    expect(uids(upTo12.rows)[0]).toBe('u13');
  });

  it('lands on the page holding the event a time names, and marks it', async () => {
    const at = await page({ at: { time: sortableTime('2026-01-09T10:17:00Z')! } });
    expect(at.position).toBe(10);
    expect(at.target?.uid).toBe('u17');
    const newest = await page({ order: 'newest', at: { time: sortableTime('2026-01-09T10:17:00Z')! } });
    expect(newest.position).toBe(0);
    expect(uids(newest.rows)).toContain('u17');
    expect(newest.target?.uid).toBe('u17');
    // Between events: the first after; the first of a tie.
    expect((await page({ at: { time: sortableTime('2026-01-09 10:16:30')! } })).target?.uid).toBe('u17');
    expect((await page({ at: { time: sortableTime('2026-01-09 10:12:00')! } })).target?.uid).toBe('u12');
    // A day: its first event.
    expect((await page({ at: { time: sortableTime('2026-01-09')! } })).target?.uid).toBe('u00');
  });

  it('shows the last page and marks nothing for a time after every event', async () => {
    const late = await page({ at: { time: sortableTime('2026-01-10')! } });
    expect(late.position).toBe(20);
    expect(late.target).toBeNull();
  });

  it('finds an event by uid, and opens at the start when no event has it', async () => {
    const found = await page({ at: { uid: 'u21' } });
    expect(found.position).toBe(20);
    expect(found.target?.uid).toBe('u21');
    const missing = await page({ at: { uid: 'nope' } });
    expect(missing).toMatchObject({ position: 0, target: null });
  });

  it('finds a key with a logarithmic number of reads', async () => {
    const many = Array.from({ length: 100_000 }, (_, i) => ({ time: `t${String(i).padStart(6, '0')}`, uid: 'x' }));
    const events = sorted(many);
    const result = await timelinePage(events, { order: 'oldest', limit: 100, at: { time: 't054321' } });
    expect(result.position).toBe(54_300);
    expect(result.target).toEqual({ time: 't054321', uid: 'x' });
    expect(events.reads).toBeLessThan(25);
  });

  it('is empty without events', async () => {
    expect(await timelinePage(sorted([]), { order: 'newest', limit: 10, at: { uid: 'u1' } })).toEqual({ rows: [], position: 0, previous: null, next: null, target: null });
  });
});

describe('sortableTime', () => {
  it('writes engine and ISO instants the same way, so text order is time order', () => {
    const expected = '2026-01-09T08:05:00.500000000';
    for (const value of ['2026-01-09 08:05:00.5', '2026-01-09T08:05:00.500Z', '2026-01-09 08:05:00.500 UTC', '2026-01-09T10:05:00.5+02:00', '2026-01-09T03:05:00.500-0500']) {
      expect(sortableTime(value)).toBe(expected);
    }
    expect(sortableTime('2026-01-09')).toBe('2026-01-09T00:00:00.000000000');
    expect(sortableTime('2026-01-09 08:05:00.123456')! > sortableTime('2026-01-09 08:05:00.1234')!).toBe(true);
    expect(sortableTime('alice')).toBeUndefined();
  });
});

describe('cursors', () => {
  it('round-trip, and anything else is not a cursor', () => {
    const cursor = { before: { time: sortableTime('2026-01-09 08:05:00')!, uid: "o'brien-1" } };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(encodeCursor(cursor)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('bm90IGpzb24')).toBeUndefined();
    expect(decodeCursor(Buffer.from(JSON.stringify(['a', '2026-01-09 08:05', 'u'])).toString('base64url'))).toBeUndefined();
    expect(decodeCursor(Buffer.from(JSON.stringify(['x', cursor.before.time, 'u'])).toString('base64url'))).toBeUndefined();
  });
});
