/**
 * Instants from the API (`2024-05-01T12:00:00.000Z`) or from the engine (`2024-05-01 12:00:00.000`,
 * `… UTC`, `…+00:00`): the audit log keeps UTC, so a value without a zone is UTC.
 */
export function parseInstant(value: string): Date | undefined {
  let text = value.trim().replace(/ UTC$/, 'Z').replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T');
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text)) text += 'Z';
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * An instant as ISO 8601 in UTC (`2024-05-01T12:00:00.123456Z`), for copying and for links: engine values
 * keep their sub-millisecond digits; anything that is not an instant is returned as it came.
 */
export function isoInstant(value: string): string {
  const utc = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:Z| UTC|[+-]00(?::?00)?)?$/.exec(value.trim());
  if (utc) return `${utc[1]}T${utc[2]}Z`;
  return parseInstant(value)?.toISOString() ?? value;
}

/** Which zone times are shown in: UTC (like the audit windows, the default) or the viewer's own. */
export type TimeZoneMode = 'utc' | 'local';

/** The viewer's IANA zone (`America/New_York`). */
export const localTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

const formats = new Map<string, Intl.DateTimeFormat>();
function formatIn(timeZone: string | undefined, locale: string | undefined): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${timeZone ?? ''}`;
  let format = formats.get(key);
  if (!format) {
    // timeStyle `long` ends with the zone (`UTC`, `EST`, `GMT+2`): a time is never shown without it.
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'long', ...(timeZone ? { timeZone } : {}) });
    formats.set(key, format);
  }
  return format;
}

/** The viewer's locale and zone unless given (tests pin them). */
export interface ZoneOptions {
  locale?: string;
  localZone?: string;
}

/** `Nov 5, 2026, 12:38:00 AM UTC` or, in the viewer's zone, `Nov 4, 2026, 7:38:00 PM EST`. */
export function formatInstant(date: Date, mode: TimeZoneMode, options: ZoneOptions = {}): string {
  return formatIn(mode === 'utc' ? 'UTC' : options.localZone, options.locale).format(date);
}

/** The text shown for an instant and, for its hover title, the same instant in the other zone. */
export function zonedTime(date: Date, mode: TimeZoneMode, options: ZoneOptions = {}): { text: string; title: string } {
  return { text: formatInstant(date, mode, options), title: formatInstant(date, mode === 'utc' ? 'local' : 'utc', options) };
}

/** `2024-05-01 12:00:00 UTC`: a compact UTC instant (schedules are in UTC). */
export const formatUtc = (date: Date): string => `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

const utcDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const utcDayLong = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** A UTC calendar day (`2024-05-03`) as `May 3`: audit days are UTC days, whatever the viewer's zone. */
export const formatUtcDay = (isoDate: string): string => utcDay.format(new Date(`${isoDate}T00:00:00Z`));
export const formatUtcDayLong = (isoDate: string): string => utcDayLong.format(new Date(`${isoDate}T00:00:00Z`));
