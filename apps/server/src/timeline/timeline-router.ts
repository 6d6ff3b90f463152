import { Router } from 'express';
import { Problem, Timeline, TimelineQuery, utcToday, windowEndingOn, type Cell, type DateWindow, type TimelineEvent } from '@access-monitor/contracts';
import { PERMISSIONS } from '@access-monitor/rbac';
import { sqlString } from '@access-monitor/sql';
import { userCaller, type Caller, type Executions } from '../executions/executions-service';
import { defineRoutes, mountRoutes } from '../http/declare-routes';
import { reportWindowOnly } from '../reports/report-window';
import { summarizeEvent } from './event-summary';
import { decodeCursor, encodeCursor, sortableTime, timelinePage, type PageRequest, type SortedEvents } from './timeline-pages';

/** A timeline's execution is reused for paging within this time. */
const REUSE_MS = 60_000;

type Subject = { user: string } | { session: string };

const subjectWhere = (subject: Subject) => ('user' in subject ? `"user" = ${sqlString(subject.user)}` : `session_id = ${sqlString(subject.session)}`);

/**
 * The drill-down SQL: one subject's events (of some types), oldest first; pages and cursors read its result by
 * position. Values reach SQL only as string literals (the engine has no bind parameters): sqlString doubles
 * quotes and refuses control characters.
 */
export function timelineSql(subject: Subject, types: readonly string[] = []): string {
  const only = types.length > 0 ? `\n  AND event_type IN (${types.map(sqlString).join(', ')})` : '';
  return `SELECT event_time, uid, event_type, "user", session_id, event_data
FROM audit_events
WHERE ${subjectWhere(subject)}${only}
ORDER BY event_time, uid`;
}

/** The subject's event types with their counts: the choices of the event-type filter. */
export function timelineTypesSql(subject: Subject): string {
  return `SELECT event_type, count(*) AS events
FROM audit_events
WHERE ${subjectWhere(subject)}
GROUP BY event_type
ORDER BY events DESC, event_type`;
}

const hasControlCharacter = (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
const TimelineParams = TimelineQuery.refine((q) => !hasControlCharacter(q.user ?? q.session ?? ''), { message: 'user and session may not contain control characters', path: ['user'] }).refine(
  (q) => q.cursor === undefined || decodeCursor(q.cursor) !== undefined,
  { message: 'not a cursor of this timeline: use the previous or next cursor of a response', path: ['cursor'] },
);

interface TimelineDeps {
  executions: Executions;
  now: () => Date;
}

interface TimelineContext extends TimelineDeps {
  /** The execution of a timeline's SQL over a window, reused for paging within REUSE_MS. */
  execution: (caller: Caller, sql: string, window: DateWindow, requestId: string) => Promise<string>;
}

/** `GET /timeline`: a user's or a session's audit events in a report window. */
export const TIMELINE_ROUTES = defineRoutes<TimelineContext>([
  {
    method: 'GET',
    path: '/timeline',
    // The drill-down from a finding row returns raw audit events: it reads the audit log as a query does, so it needs both.
    access: { permissions: [PERMISSIONS.runReport, PERMISSIONS.runQuery] },
    summary:
      "One user's (user=) or one session's (session=) audit events in a report window, a page at a time (oldest or newest first, of some types), each with a one-line summary; at= opens the page holding an event (time, day or uid), cursor= the page before or after one shown",
    guards: [reportWindowOnly('query')],
    query: TimelineParams,
    responses: { 200: Timeline, 400: Problem },
    handler: async ({ executions: { engine }, now, execution }, req, res) => {
      const q = res.locals.query as TimelineQuery;
      const subject: Subject = q.user !== undefined ? { user: q.user } : { session: q.session! };
      const window = windowEndingOn(q.end ?? utcToday(now()), q.days);
      const types = q.types ?? [];
      const caller = userCaller(req.user!.username, 'timeline');
      // One after the other: a timeline should not take two of the user's running-query slots.
      const id = await execution(caller, timelineSql(subject, types), window, String(req.id));
      const typesId = await execution(caller, timelineTypesSql(subject), window, `${String(req.id)}:types`);

      const head = await engine.page(id, 0, 1);
      const column = (name: string) => head.columns.findIndex((c) => c.name === name);
      const [time, uid, type, user, session, data] = ['event_time', 'uid', 'event_type', 'user', 'session_id', 'event_data'].map(column) as [number, number, number, number, number, number];
      const events: SortedEvents<Cell[]> = {
        total: head.totalRows,
        read: async (offset, limit) => (await engine.page(id, offset, limit)).rows,
        key: (row) => ({ time: sortableTime(String(row[time] ?? '')) ?? '', uid: String(row[uid] ?? '') }),
      };
      const page = await timelinePage(events, { order: q.order, limit: q.limit, ...pageStart(q) });
      const present = (row: Cell[]): TimelineEvent => {
        const eventData = String(row[data] ?? '{}');
        let fields: Record<string, unknown> = {};
        try {
          fields = JSON.parse(eventData) as Record<string, unknown>;
        } catch {
          // A malformed event still shows, with its type as the summary.
        }
        const eventType = String(row[type] ?? '');
        return {
          uid: String(row[uid] ?? ''),
          event_time: isoTime(row[time] ?? null),
          event_type: eventType,
          code: typeof fields.code === 'string' ? fields.code : null,
          user: nonEmpty(row[user] ?? null),
          session_id: nonEmpty(row[session] ?? null),
          ...summarizeEvent(eventType, fields),
          event_data: eventData,
        };
      };
      const typeRows = await engine.page(typesId, 0, MAX_EVENT_TYPES);
      res.json({
        window,
        subject,
        order: q.order,
        types,
        eventTypes: typeRows.rows.map(([eventType, count]) => ({ event_type: String(eventType ?? ''), events: Number(count ?? 0) })),
        events: page.rows.map(present),
        position: page.position,
        totalEvents: events.total,
        previous: page.previous ? encodeCursor(page.previous) : null,
        next: page.next ? encodeCursor(page.next) : null,
        target: page.target ? String(page.target[uid] ?? '') : null,
      } satisfies Timeline);
    },
  },
]);

/** Event types listed for the filter; Teleport has a few hundred. */
const MAX_EVENT_TYPES = 1000;

/** Where the page starts: at an event (time-like `at` values are times, anything else a uid), after a cursor, or at the start. */
function pageStart(q: TimelineQuery): Pick<PageRequest, 'at' | 'cursor'> {
  if (q.at !== undefined) {
    const time = /^\d{4}-\d{2}-\d{2}/.test(q.at) ? sortableTime(q.at) : undefined;
    return { at: time !== undefined ? { time } : { uid: q.at } };
  }
  if (q.cursor !== undefined) return { cursor: decodeCursor(q.cursor)! };
  return {};
}

export function createTimelineRouter(deps: TimelineDeps): Router {
  const { executions, now } = deps;
  // Per-instance: paging through one timeline reuses its execution instead of scanning again. Keyed by user too, so
  // every person's drill-down is in their own query history (and counts against their own limits).
  const recent = new Map<string, { at: number; id: Promise<string> }>();

  function execution(caller: Caller, sql: string, window: DateWindow, requestId: string): Promise<string> {
    const key = JSON.stringify([caller.user, window.start, window.end, sql]);
    const hit = recent.get(key);
    const at = now().getTime();
    if (hit && at - hit.at < REUSE_MS) return hit.id;
    for (const [k, v] of recent) if (at - v.at >= REUSE_MS) recent.delete(k);
    const id = executions.runSucceeded(caller, { sql, window, intent: [requestId] }).then((s) => s.id);
    recent.set(key, { at, id });
    id.catch(() => recent.delete(key));
    return id;
  }

  return mountRoutes(Router(), TIMELINE_ROUTES, { ...deps, execution });
}

const nonEmpty = (v: Cell): string | null => (v === null || v === '' ? null : String(v));

/** Athena prints `2026-01-10 12:00:00.000` (UTC); the API speaks ISO 8601. */
function isoTime(v: Cell): string {
  const s = String(v ?? '');
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}(?::?\d{2})?| UTC)?$/.exec(s);
  if (!m) return s;
  return `${m[1]}T${m[2]}${!m[3] || m[3] === ' UTC' || /^[+-]00(:?00)?$/.test(m[3]) ? 'Z' : m[3]}`;
}

