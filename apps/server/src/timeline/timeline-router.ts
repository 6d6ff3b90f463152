import { Router } from 'express';
import { Problem, Timeline, TimelineQuery, utcToday, windowEndingOn, type Cell, type DateWindow, type TimelineEvent } from '@access-monitor/contracts';
import { PERMISSIONS } from '@access-monitor/rbac';
import { sqlString } from '@access-monitor/sql';
import { userCaller, type Caller, type Executions } from '../executions/executions-service';
import { defineRoutes, mountRoutes } from '../http/declare-routes';
import { reportWindowOnly } from '../reports/report-window';
import { summarizeEvent } from './event-summary';

/** A timeline's execution is reused for paging within this time. */
const REUSE_MS = 60_000;

type Subject = { user: string } | { session: string };

/**
 * The drill-down SQL: one subject's events, oldest first. The value reaches SQL only as a string
 * literal (the engine has no bind parameters): sqlString doubles quotes and refuses control characters.
 */
export function timelineSql(subject: Subject): string {
  const where = 'user' in subject ? `"user" = ${sqlString(subject.user)}` : `session_id = ${sqlString(subject.session)}`;
  return `SELECT event_time, event_type, "user", session_id, event_data
FROM audit_events
WHERE ${where}
ORDER BY event_time, uid`;
}

const hasControlCharacter = (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
const TimelineParams = TimelineQuery.refine((q) => !hasControlCharacter(q.user ?? q.session ?? ''), { message: 'user and session may not contain control characters', path: ['user'] });

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
    summary: "One user's (user=) or one session's (session=) audit events in a report window, oldest first, each with a one-line summary",
    guards: [reportWindowOnly('query')],
    query: TimelineParams,
    responses: { 200: Timeline, 400: Problem },
    handler: async ({ executions: { engine }, now, execution }, req, res) => {
      const q = res.locals.query as TimelineQuery;
      const subject: Subject = q.user !== undefined ? { user: q.user } : { session: q.session! };
      const window = windowEndingOn(q.end ?? utcToday(now()), q.days);
      const id = await execution(userCaller(req.user!.username, 'timeline'), timelineSql(subject), window, String(req.id));
      const page = await engine.page(id, q.offset, q.limit);
      const at = (name: string) => page.columns.findIndex((c) => c.name === name);
      const [time, type, user, session, data] = ['event_time', 'event_type', 'user', 'session_id', 'event_data'].map(at) as [number, number, number, number, number];
      const events = page.rows.map((row): TimelineEvent => {
        const eventData = String(row[data] ?? '{}');
        let fields: Record<string, unknown> = {};
        try {
          fields = JSON.parse(eventData) as Record<string, unknown>;
        } catch {
          // A malformed event still shows, with its type as the summary.
        }
        const eventType = String(row[type] ?? '');
        return {
          event_time: isoTime(row[time] ?? null),
          event_type: eventType,
          code: typeof fields.code === 'string' ? fields.code : null,
          user: nonEmpty(row[user] ?? null),
          session_id: nonEmpty(row[session] ?? null),
          ...summarizeEvent(eventType, fields),
          event_data: eventData,
        };
      });
      res.json({ window, subject, events, offset: q.offset, totalEvents: page.totalRows } satisfies Timeline);
    },
  },
]);

export function createTimelineRouter(deps: TimelineDeps): Router {
  const { executions, now } = deps;
  // Per-instance: paging through one timeline reuses its execution instead of scanning again.
  const recent = new Map<string, { at: number; id: Promise<string> }>();

  function execution(caller: Caller, sql: string, window: DateWindow, requestId: string): Promise<string> {
    const key = `${window.start}/${window.end}/${sql}`;
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

