import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after';

describe('parseRetryAfter', () => {
  it('reads delay-seconds as written', () => {
    expect(parseRetryAfter('42')).toBe(42);
    expect(parseRetryAfter(' 0 ')).toBe(0);
  });

  it('turns an HTTP-date into whole seconds from now, rounded up', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now + 29_500)).toBe(1);
  });

  it('never asks to wait a negative time for a date in the past', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:00 GMT', Date.parse('2025-01-02T00:00:00Z'))).toBe(0);
  });

  it('gives up on a missing or unreadable header rather than guessing', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-5')).toBeUndefined();
  });
});
