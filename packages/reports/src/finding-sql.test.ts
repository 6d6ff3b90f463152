import { describe, expect, it } from 'vitest';
import { containsAny } from './finding-sql';

describe('array membership in built-in SQL', () => {
  it('renders each value as a literal and refuses an empty list', () => {
    expect(containsAny('roles', ['admin', 'a, b'])).toBe("(contains(roles, 'admin') OR contains(roles, 'a, b'))");
    expect(() => containsAny('roles', [])).toThrow(/at least one/);
  });
});
