import type { WindowDays } from '@access-monitor/contracts';
import { parseReportWindow } from '../../components/window-param';

export type TimelineSubject = { user: string } | { session: string };

export interface TimelineParams {
  /** Whose events: exactly one of user or session; undefined when the URL names neither (or both). */
  subject: TimelineSubject | undefined;
  days: WindowDays;
  /** Last UTC day of the window (`YYYY-MM-DD`); undefined means today. */
  end: string | undefined;
  /** 1-based. */
  page: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `/timeline?user=…|session=…&days=…[&end=…][&page=…]`, read leniently: a bad value falls back, never throws. */
export function parseTimelineParams(params: URLSearchParams): TimelineParams {
  const user = params.get('user') || undefined;
  const session = params.get('session') || undefined;
  const subject = user !== undefined && session === undefined ? { user } : session !== undefined && user === undefined ? { session } : undefined;
  const rawEnd = params.get('end');
  const end = rawEnd !== null && ISO_DATE.test(rawEnd) && isCalendarDate(rawEnd) ? rawEnd : undefined;
  const rawPage = params.get('page');
  const page = rawPage !== null && /^\d{1,6}$/.test(rawPage) && Number(rawPage) >= 1 ? Number(rawPage) : 1;
  return { subject, days: parseReportWindow(params.get('days')), end, page };
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
