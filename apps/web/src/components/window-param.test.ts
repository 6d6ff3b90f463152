import { describe, expect, it } from 'vitest';
import { formatWindow, parseQueryWindow, parseReportWindow } from './window-param';

describe('parseReportWindow', () => {
  it("accepts Teleport's report windows", () => {
    expect([7, 30, 90, 120].map((d) => parseReportWindow(String(d)))).toEqual([7, 30, 90, 120]);
  });

  it('falls back to 7 days for a missing, unlisted or malformed window', () => {
    for (const raw of [null, '', '5', '31', '-7', '7.5', '30abc', ' 30']) expect(parseReportWindow(raw)).toBe(7);
  });
});

describe('parseQueryWindow', () => {
  it('accepts any whole number of days up to 366', () => {
    expect(parseQueryWindow('1')).toBe(1);
    expect(parseQueryWindow('45')).toBe(45);
    expect(parseQueryWindow('366')).toBe(366);
  });

  it('falls back to 7 days outside 1–366', () => {
    for (const raw of [null, '0', '367', 'week', '2.5']) expect(parseQueryWindow(raw)).toBe(7);
  });

  it("falls back to a saved query's own window when the address has none", () => {
    expect(parseQueryWindow(null, 30)).toBe(30);
    expect(parseQueryWindow('0', 30)).toBe(30);
    expect(parseQueryWindow('14', 30)).toBe(14);
  });
});

describe('formatWindow', () => {
  it('writes one day in the singular and any other window in the plural', () => {
    expect([1, 7, 366].map(formatWindow)).toEqual(['1 day', '7 days', '366 days']);
  });
});
