// Teleport's `time` is Go's RFC3339Nano: 0–9 fractional digits (trailing zeros trimmed),
// `Z` or a numeric offset. `Date.parse` is not specified for more than 3 digits, so
// parse it ourselves.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Milliseconds since the epoch (fraction truncated, as Athena's timestamp(millisecond)), or undefined. */
export function parseRfc3339Millis(text: string): number | undefined {
  const utc = parseUtcMillis(text);
  if (utc !== undefined) return utc;
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) return undefined;
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  let offsetMinutes = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as written.
  date.setUTCFullYear(year, month - 1, day);
  // A leap second (:60) has no place in JS time; fold it into the next second like Go does.
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime() - offsetMinutes * 60_000;
}

const ZERO = 48;

/** Two or four ASCII digits at `at`, or -1. */
function digits(text: string, at: number, count: 2 | 4): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The form nearly every event has, `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with a year from 1970, read without
 * a regular expression (the importer and the demo generator read millions); anything else is left to
 * the full parser, which gives the same answer for this form.
 */
function parseUtcMillis(text: string): number | undefined {
  const n = text.length;
  if (n < 20 || n > 30 || text.charCodeAt(n - 1) !== 90 /* Z */) return undefined; // 30: nine fractional digits
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  let millis = 0;
  if (n > 20) {
    // "." then 1–9 digits, of which the first three count.
    if (n < 22 || text.charCodeAt(19) !== 46) return undefined;
    for (let i = 20; i < n - 1; i++) {
      const d = text.charCodeAt(i) - ZERO;
      if (d < 0 || d > 9) return undefined;
      if (i < 23) millis += d * (i === 20 ? 100 : i === 21 ? 10 : 1);
    }
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}

/**
 * parseRfc3339Millis of the UTF-8 bytes `from`..`end` of `bytes`, for the importer: the common UTC form is
 * read from the bytes (as parseUtcMillis reads it from text), anything else is decoded and parsed.
 */
export function parseRfc3339MillisOfBytes(bytes: Buffer, from: number, end: number): number | undefined {
  const n = end - from;
  if (n < 20 || n > 30 || bytes[end - 1] !== 90 /* Z */) return parseRfc3339Millis(bytes.toString('utf8', from, end));
  if (bytes[from + 4] !== 45 || bytes[from + 7] !== 45 || bytes[from + 10] !== 84 || bytes[from + 13] !== 58 || bytes[from + 16] !== 58) {
    return parseRfc3339Millis(bytes.toString('utf8', from, end));
  }
  const year = digitsOfBytes(bytes, from, 4);
  const month = digitsOfBytes(bytes, from + 5, 2);
  const day = digitsOfBytes(bytes, from + 8, 2);
  const hour = digitsOfBytes(bytes, from + 11, 2);
  const minute = digitsOfBytes(bytes, from + 14, 2);
  const second = digitsOfBytes(bytes, from + 17, 2);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || day > daysInMonth(year, month)) {
    return parseRfc3339Millis(bytes.toString('utf8', from, end));
  }
  let millis = 0;
  if (n > 20) {
    if (n < 22 || bytes[from + 19] !== 46) return undefined;
    for (let i = 20; i < n - 1; i++) {
      const d = bytes[from + i]! - ZERO;
      if (d < 0 || d > 9) return undefined;
      if (i < 23) millis += d * (i === 20 ? 100 : i === 21 ? 10 : 1);
    }
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}

function digitsOfBytes(bytes: Buffer, at: number, count: 2 | 4): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = bytes[i]! - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const DAY_MS = 86_400_000;
/** 10000-01-01: from here on toISOString writes a six-digit year. */
const YEAR_10000_MS = 253_402_300_800_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
/** `.5`, `.12`, `.123` or nothing: the fraction of a whole millisecond, trailing zeros trimmed. */
const MILLIS_FRACTION = Array.from({ length: 1000 }, (_, ms) => (ms === 0 ? '' : `.${String(ms).padStart(3, '0').replace(/0+$/, '')}`));
let cachedDay = NaN;
let cachedDayPrefix = '';

/**
 * Formats like Go's RFC3339Nano in UTC: 9 fractional digits with trailing zeros trimmed
 * (so `.5Z`, `.123Z`, `.313562027Z`, or none at all).
 */
export function formatRfc3339Nano(millis: number, extraNanos = 0): string {
  // The demo generator formats millions of times: the date part is kept per day and the rest is arithmetic.
  if (!(Number.isInteger(millis) && millis >= 0 && millis < YEAR_10000_MS && Number.isInteger(extraNanos) && extraNanos >= 0 && extraNanos < 1_000_000)) {
    return formatWithDate(millis, extraNanos);
  }
  const day = Math.floor(millis / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  const inDay = millis - day * DAY_MS;
  const seconds = Math.floor(inDay / 1000);
  const ms = inDay - seconds * 1000;
  const clock = `${cachedDayPrefix}${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}`;
  if (extraNanos === 0) return `${clock}${MILLIS_FRACTION[ms]}Z`;
  const digits = String(ms * 1_000_000 + extraNanos).padStart(9, '0');
  let end = 9;
  while (digits.charCodeAt(end - 1) === ZERO) end--;
  return `${clock}.${digits.slice(0, end)}Z`;
}

function formatWithDate(millis: number, extraNanos: number): string {
  const iso = new Date(millis).toISOString();
  const nanos = (((millis % 1000) + 1000) % 1000) * 1_000_000 + extraNanos;
  if (nanos === 0) return `${iso.slice(0, 19)}Z`;
  return `${iso.slice(0, 19)}.${String(nanos).padStart(9, '0').replace(/0+$/, '')}Z`;
}
