import { describe, expect, it } from 'vitest';
import { cellText, jsonOf, rowText } from './cell-text';

describe('copied text', () => {
  it('copies NULL as nothing and a row as tab-separated values on one line', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(42)).toBe('42');
    expect(rowText(['alice', null, 3, 'two\nlines\tand a tab'])).toBe('alice\t\t3\ttwo lines and a tab');
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
