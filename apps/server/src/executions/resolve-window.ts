import { isReportWindow, MAX_WINDOW_DAYS, REPORT_WINDOW_RULE, utcToday, windowDays, windowEndingOn, type DateWindow } from '@access-monitor/contracts';
import { InvalidWindow } from './execution-errors';

export type WindowInput = { days: number; end?: string | undefined } | { start: string; end: string };

/** `days` UTC calendar days ending on `end` (default today), or an explicit inclusive range. */
export function resolveWindow(input: WindowInput, now: Date): DateWindow {
  const window = 'days' in input ? windowEndingOn(input.end ?? utcToday(now), input.days) : { start: input.start, end: input.end };
  if (window.start > window.end) throw new InvalidWindow(`start ${window.start} is after end ${window.end}`);
  const days = windowDays(window);
  if (days > MAX_WINDOW_DAYS) throw new InvalidWindow(`the window covers ${days} days; at most ${MAX_WINDOW_DAYS} are allowed`);
  return window;
}

/** Dashboard and report windows are exactly Teleport's 7, 30, 90 and 120 days. */
export function reportWindowDays(value: unknown): 7 | 30 | 90 | 120 {
  const n = value === undefined ? 7 : Number(value);
  if (!isReportWindow(n)) throw new InvalidWindow(REPORT_WINDOW_RULE);
  return n as 7 | 30 | 90 | 120;
}
