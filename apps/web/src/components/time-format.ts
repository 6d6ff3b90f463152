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

const local = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** In the viewer's time zone. */
export const formatLocal = (date: Date): string => local.format(date);

/** `2024-05-01 12:00:00 UTC`, shown on hover next to local times. */
export const formatUtc = (date: Date): string => `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

const utcDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const utcDayLong = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** A UTC calendar day (`2024-05-03`) as `May 3`: audit days are UTC days, whatever the viewer's zone. */
export const formatUtcDay = (isoDate: string): string => utcDay.format(new Date(`${isoDate}T00:00:00Z`));
export const formatUtcDayLong = (isoDate: string): string => utcDayLong.format(new Date(`${isoDate}T00:00:00Z`));
