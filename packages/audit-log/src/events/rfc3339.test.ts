import { describe, expect, it } from 'vitest';
import { formatRfc3339Nano, parseRfc3339Millis, parseRfc3339MillisOfBytes } from './rfc3339';

/** Go's RFC3339Nano by the letter of the grammar, to hold the fast path to the same answers. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

describe('parseRfc3339Millis', () => {
  it('reads UTC times with 0 to 9 fractional digits, truncating to milliseconds', () => {
    expect(parseRfc3339Millis('2026-01-14T12:34:56Z')).toBe(Date.UTC(2026, 0, 14, 12, 34, 56));
    expect(parseRfc3339Millis('2026-01-14T12:34:56.5Z')).toBe(Date.UTC(2026, 0, 14, 12, 34, 56, 500));
    expect(parseRfc3339Millis('2026-01-14T12:34:56.12Z')).toBe(Date.UTC(2026, 0, 14, 12, 34, 56, 120));
    expect(parseRfc3339Millis('2026-01-14T12:34:56.313562027Z')).toBe(Date.UTC(2026, 0, 14, 12, 34, 56, 313));
    expect(parseRfc3339Millis('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });

  it('refuses what is not RFC 3339, however close', () => {
    for (const bad of ['2026-01-14T12:34:56.Z', '2026-01-14T12:34:56.1234567890Z', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-14 12:34:56Z', '2026-01-14T24:00:00Z', '2026-01-14T12:60:00Z', '2026-01-14T12:34:5xZ', '2026-1-14T12:34:56Z', '2025-02-29T00:00:00Z', '+2026-01-14T12:34:56Z']) {
      expect(parseRfc3339Millis(bad), bad).toBeUndefined();
    }
  });

  it('reads offsets, lower-case letters, leap seconds and early years as before', () => {
    expect(parseRfc3339Millis('2026-01-14T12:34:56.1+02:00')).toBe(Date.UTC(2026, 0, 14, 10, 34, 56, 100));
    expect(parseRfc3339Millis('2026-01-14t12:34:56z')).toBe(Date.UTC(2026, 0, 14, 12, 34, 56));
    expect(parseRfc3339Millis('2016-12-31T23:59:60Z')).toBe(Date.UTC(2017, 0, 1));
    expect(parseRfc3339Millis('0001-01-01T00:00:00Z')).toBe(-62135596800000);
  });

  it('agrees with the grammar on every form the demo generator and real logs produce', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5000; i++) {
      const ms = Math.floor(next() * 4e12);
      const text = formatRfc3339Nano(ms, next() < 0.3 ? Math.floor(next() * 999_999) : 0);
      expect(RFC3339.test(text)).toBe(true);
      expect(parseRfc3339Millis(text)).toBe(ms);
    }
  });

  it('reads UTF-8 bytes as it reads text', () => {
    const forms = ['2024-05-09T21:00:50Z', '2024-05-09T21:00:50.1Z', '2024-05-09T21:00:50.123456789Z', '2024-05-09T21:00:50.1234567890Z', '2024-05-09T21:00:50.Z', '2024-05-09T21:00:5x.1Z',
      '1969-12-31T23:59:59.999Z', '2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '2016-12-31T23:59:60Z', '2024-05-09T24:00:00Z', '2024-05-09t21:00:50z', '2024-05-09T23:30:00.5+02:00', '2024-05-09', '', 'é2024-05-09T21:00:50Z'];
    for (const text of forms) {
      const bytes = Buffer.from(`"${text}"`);
      expect(parseRfc3339MillisOfBytes(bytes, 1, bytes.length - 1), text).toBe(parseRfc3339Millis(text));
    }
  });
});

describe('formatRfc3339Nano', () => {
  /** The plain way: toISOString's seconds, then the nanoseconds with trailing zeros trimmed. */
  const reference = (ms: number, extraNanos: number): string => {
    const nanos = (((ms % 1000) + 1000) % 1000) * 1_000_000 + extraNanos;
    const iso = new Date(ms).toISOString().slice(0, 19);
    return nanos === 0 ? `${iso}Z` : `${iso}.${String(nanos).padStart(9, '0').replace(/0+$/, '')}Z`;
  };

  it('writes 0 to 9 fractional digits with trailing zeros trimmed', () => {
    const at = Date.UTC(2026, 0, 14, 12, 34, 56);
    expect(formatRfc3339Nano(at)).toBe('2026-01-14T12:34:56Z');
    expect(formatRfc3339Nano(at + 500)).toBe('2026-01-14T12:34:56.5Z');
    expect(formatRfc3339Nano(at + 120)).toBe('2026-01-14T12:34:56.12Z');
    expect(formatRfc3339Nano(at + 313, 562_027)).toBe('2026-01-14T12:34:56.313562027Z');
    expect(formatRfc3339Nano(at, 1)).toBe('2026-01-14T12:34:56.000000001Z');
    expect(formatRfc3339Nano(at + 999, 999_000)).toBe('2026-01-14T12:34:56.999999Z');
  });

  it('agrees with the Date-based formatting across days, midnights and before 1970', () => {
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5000; i++) {
      const ms = i % 10 === 0 ? Date.UTC(2026, 0, 1 + (i % 40)) - (i % 3) : Math.floor(next() * 4e12) - (i % 7 === 0 ? 3e12 : 0);
      const extra = next() < 0.3 ? Math.floor(next() * 999_999) : 0;
      expect(formatRfc3339Nano(ms, extra), String(ms)).toBe(reference(ms, extra));
    }
    expect(formatRfc3339Nano(Date.UTC(9999, 11, 31, 23, 59, 59, 999))).toBe('9999-12-31T23:59:59.999Z');
  });
});
