import { describe, expect, it } from 'vitest';
import { indexOfByteOffset, positionAtIndex, positionOfByteOffset } from './position';

describe('positions in the user text', () => {
  it('counts lines across \\n, \\r\\n and \\r', () => {
    const sql = 'a\nb\r\nc\rd';
    expect(positionAtIndex(sql, 2)).toEqual({ line: 2, column: 1, offset: 2 });
    expect(positionAtIndex(sql, 5)).toEqual({ line: 3, column: 1, offset: 5 });
    expect(positionAtIndex(sql, 7)).toEqual({ line: 4, column: 1, offset: 7 });
  });

  it('maps UTF-8 byte offsets to string indexes', () => {
    // é is 2 bytes, ✓ is 3, 😀 is 4 bytes and 2 UTF-16 units.
    const sql = 'é✓😀x';
    expect(indexOfByteOffset(sql, 2)).toBe(1);
    expect(indexOfByteOffset(sql, 5)).toBe(2);
    expect(indexOfByteOffset(sql, 9)).toBe(4);
    expect(positionOfByteOffset(sql, 9)).toEqual({ line: 1, column: 5, offset: 4 });
  });

  it('offsets positions reported for a slice of the text', () => {
    expect(positionOfByteOffset('EXPLAIN\nSELECT é, x', 10, 8)).toEqual({ line: 2, column: 10, offset: 17 });
  });

  it("treats DuckDB's no-location marker and junk as unknown", () => {
    expect(positionOfByteOffset('SELECT 1', 18446744073709552000)).toBeUndefined();
    expect(positionOfByteOffset('SELECT 1', undefined)).toBeUndefined();
    expect(positionOfByteOffset('SELECT 1', 'x')).toBeUndefined();
    expect(positionOfByteOffset('SELECT 1', '3')).toEqual({ line: 1, column: 4, offset: 3 });
  });
});
