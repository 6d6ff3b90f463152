import { describe, expect, it } from 'vitest';
import { lineDiff } from './line-diff';

describe('lineDiff', () => {
  it('keeps common lines and marks what was removed and added, in reading order', () => {
    const before = "SELECT \"user\", count(*)\nFROM session_start\nWHERE login = 'root'\nGROUP BY 1";
    const after = "SELECT \"user\", count(*)\nFROM session_start\nWHERE login IN ('root', 'admin')\nAND with_mfa IS NULL\nGROUP BY 1";
    expect(lineDiff(before, after)).toEqual([
      { kind: 'same', text: 'SELECT "user", count(*)' },
      { kind: 'same', text: 'FROM session_start' },
      { kind: 'removed', text: "WHERE login = 'root'" },
      { kind: 'added', text: "WHERE login IN ('root', 'admin')" },
      { kind: 'added', text: 'AND with_mfa IS NULL' },
      { kind: 'same', text: 'GROUP BY 1' },
    ]);
  });

  it('is all "same" for equal texts, and handles an empty side', () => {
    expect(lineDiff('a\nb', 'a\nb').every((l) => l.kind === 'same')).toBe(true);
    expect(lineDiff('', 'x')).toEqual([
      { kind: 'removed', text: '' },
      { kind: 'added', text: 'x' },
    ]);
  });
});
