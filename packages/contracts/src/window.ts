import { z } from 'zod';

/** Report windows Teleport's Access Monitoring offers (and nothing else for reports). */
export const REPORT_WINDOWS = [7, 30, 90, 120] as const;
export type WindowDays = (typeof REPORT_WINDOWS)[number];
/** What every refusal of another report window says. */
export const REPORT_WINDOW_RULE = `days must be one of ${REPORT_WINDOWS.join(', ')}`;
export const WindowDays = z.union(REPORT_WINDOWS.map((d) => z.literal(d)) as [z.ZodLiteral<7>, z.ZodLiteral<30>, z.ZodLiteral<90>, z.ZodLiteral<120>], {
  error: REPORT_WINDOW_RULE,
});

/** The one check of a report window, for numbers and for text from a URL or a command line. */
export const isReportWindow = (value: unknown): value is WindowDays => (REPORT_WINDOWS as readonly unknown[]).includes(typeof value === 'string' && value.trim() !== '' ? Number(value) : value);

/** Longest window an ad-hoc query may cover. */
export const MAX_WINDOW_DAYS = 366;

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD').refine(
  (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
  'not a calendar date',
);

/** Inclusive range of UTC calendar days. */
export const DateWindow = z.object({ start: IsoDate, end: IsoDate });
export type DateWindow = z.infer<typeof DateWindow>;

const DAY_MS = 86_400_000;

export function windowDays(w: DateWindow): number {
  return Math.round((Date.parse(`${w.end}T00:00:00Z`) - Date.parse(`${w.start}T00:00:00Z`)) / DAY_MS) + 1;
}

/** The `days` UTC calendar days ending with `end` (inclusive). */
export function windowEndingOn(end: string, days: number): DateWindow {
  const start = new Date(Date.parse(`${end}T00:00:00Z`) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  return { start, end };
}

export function utcToday(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Every date of the window, oldest first. */
export function windowDates(w: DateWindow): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${w.start}T00:00:00Z`); t <= Date.parse(`${w.end}T00:00:00Z`); t += DAY_MS) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}
