import { describe, expect, it } from 'vitest';
import { sqlInteger, sqlString, sqlStringList } from './sql-literals';

describe('SQL literals', () => {
  it('doubles single quotes and keeps backslashes, which both engines read literally', () => {
    expect(sqlString("o'brien")).toBe("'o''brien'");
    expect(sqlString("x') OR true --")).toBe("'x'') OR true --'");
    expect(sqlString('C:\\')).toBe("'C:\\'");
  });

  it('refuses control characters, an empty list and non-integers', () => {
    expect(() => sqlString('a\nb')).toThrow(/control characters/);
    expect(() => sqlStringList([])).toThrow(/at least one/);
    expect(() => sqlInteger(1.5)).toThrow(RangeError);
    expect(() => sqlInteger(-1)).toThrow(RangeError);
  });

  it('renders lists and integers as literals', () => {
    expect(sqlStringList(['a', "b'c"])).toBe("'a', 'b''c'");
    expect(sqlInteger(5)).toBe('5');
  });
});
