import type { SqlPosition } from '@access-monitor/contracts';

/** UTF-8 length of a string: DuckDB reports positions as byte offsets into the text it parsed. */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Index into `text` (UTF-16 code units, as JavaScript and editors count) of a UTF-8 byte offset. */
export function indexOfByteOffset(text: string, byteOffset: number): number {
  let bytes = 0;
  let i = 0;
  while (i < text.length && bytes < byteOffset) {
    const cp = text.codePointAt(i) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp >= 0x10000 ? 2 : 1;
  }
  return i;
}

/** 1-based line and column (UTF-16 units) of a string index; `\n`, `\r\n` and `\r` all end a line. */
export function positionAtIndex(text: string, index: number): SqlPosition {
  const offset = Math.max(0, Math.min(index, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}

/**
 * Position in the user's text of a byte offset DuckDB reported for `text.slice(sliceStart)`
 * (the guard parses the statement without a leading EXPLAIN). Undefined for DuckDB's "no location"
 * marker (2^64-1) or anything outside the text.
 */
export function positionOfByteOffset(text: string, byteOffset: unknown, sliceStart = 0): SqlPosition | undefined {
  const n = typeof byteOffset === 'string' ? Number(byteOffset) : byteOffset;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return undefined;
  const slice = text.slice(sliceStart);
  if (n > utf8Length(slice)) return undefined;
  return positionAtIndex(text, sliceStart + indexOfByteOffset(slice, n));
}
