import { isReportWindow, MAX_WINDOW_DAYS, type WindowDays } from '@access-monitor/contracts';

export const DEFAULT_WINDOW: WindowDays = 7;

/** `?days=` for reports and the overview: one of Teleport's windows, anything else means the default. */
export function parseReportWindow(value: string | null): WindowDays {
  const n = value !== null && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  return isReportWindow(n) ? n : DEFAULT_WINDOW;
}

/** `?days=` for audit queries: any whole number of days up to the longest window a query may cover, else `fallback`. */
export function parseQueryWindow(value: string | null, fallback: number = DEFAULT_WINDOW): number {
  const n = value !== null && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  return n >= 1 && n <= MAX_WINDOW_DAYS ? n : fallback;
}

/** `1 day`, `30 days`: a window as the dashboard writes it. */
export const formatWindow = (days: number): string => (days === 1 ? '1 day' : `${days} days`);
