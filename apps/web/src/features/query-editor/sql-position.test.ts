import { describe, expect, it } from 'vitest';
import { excerptAt, offsetOf, spacedForInsertion } from './sql-position';

const SQL = 'SELECT *\nFORM session_start\nLIMIT 10';

describe('offsetOf', () => {
  it('turns a 1-based line and column into a character offset', () => {
    expect(offsetOf(SQL, { line: 1, column: 1 })).toBe(0);
    expect(offsetOf(SQL, { line: 2, column: 1 })).toBe(9);
    expect(SQL.slice(offsetOf(SQL, { line: 2, column: 1 }))).toMatch(/^FORM/);
    expect(SQL.slice(offsetOf(SQL, { line: 3, column: 7 }))).toBe('10');
  });

  it('clamps positions past the end of a line or of the text', () => {
    expect(offsetOf(SQL, { line: 1, column: 99 })).toBe(8);
    expect(offsetOf(SQL, { line: 9, column: 1 })).toBe(SQL.lastIndexOf('\n') + 1);
  });
});

describe('excerptAt', () => {
  it('splits the line around the character the position points at', () => {
    expect(excerptAt(SQL, { line: 2, column: 1 })).toEqual({ before: '', at: 'F', after: 'ORM session_start' });
  });

  it('marks the whole token an execution error names', () => {
    expect(excerptAt(SQL, { line: 2, column: 6, length: 13 })).toEqual({ before: 'FORM ', at: 'session_start', after: '' });
  });

  it('points at a space when the position is just past the end of the line', () => {
    expect(excerptAt(SQL, { line: 1, column: 9 })).toEqual({ before: 'SELECT *', at: ' ', after: '' });
  });
});

describe('spacedForInsertion', () => {
  it('adds spaces only where the name would run into a word', () => {
    expect(spacedForInsertion('session_start', 'SELECT * FROM', '')).toBe(' session_start');
    expect(spacedForInsertion('session_start', 'FROM ', ' WHERE')).toBe('session_start');
    expect(spacedForInsertion('user', 'SELECT ', 'FROM')).toBe('user ');
  });
});
