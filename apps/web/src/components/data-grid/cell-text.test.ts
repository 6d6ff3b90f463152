import { describe, expect, it } from 'vitest';
import { cellText, jsonOf, rowText } from './cell-text';

describe('copied text', () => {
  it('copies NULL as nothing and a row as tab-separated values on one line', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(42)).toBe('42');
    expect(rowText(['alice', null, 3, 'two\nlines\tand a tab'])).toBe('alice\t\t3\ttwo lines and a tab');
  });

  it('copies timestamps as ISO 8601 with Z, whichever zone they are shown in', () => {
    expect(cellText('2026-11-05 00:38:00.123456', 'timestamp(3)')).toBe('2026-11-05T00:38:00.123456Z');
    expect(rowText(['2026-11-05 00:38:00', 'alice'], ['timestamp', 'varchar'])).toBe('2026-11-05T00:38:00Z\talice');
    expect(cellText('2026-11-05 00:38:00', 'varchar')).toBe('2026-11-05 00:38:00');
  });
});

describe('jsonOf', () => {
  it('opens objects and arrays, and nothing else', () => {
    expect(jsonOf('{"event":"session.start","user":"alice"}')).toEqual({ event: 'session.start', user: 'alice' });
    expect(jsonOf(' [1, 2]')).toEqual([1, 2]);
    expect(jsonOf('"just a string"')).toBeUndefined();
    expect(jsonOf('{not json')).toBeUndefined();
    expect(jsonOf(12)).toBeUndefined();
    expect(jsonOf(null)).toBeUndefined();
  });
});
