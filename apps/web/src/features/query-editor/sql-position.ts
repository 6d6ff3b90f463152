import type { SqlPosition } from '@access-monitor/contracts';

/** Character offset of a 1-based line and column in `sql`, clamped to the text. */
export function offsetOf(sql: string, position: Pick<SqlPosition, 'line' | 'column'>): number {
  const lines = sql.split('\n');
  const line = Math.min(Math.max(position.line, 1), lines.length);
  let offset = 0;
  for (let i = 0; i < line - 1; i++) offset += lines[i]!.length + 1;
  const text = lines[line - 1] ?? '';
  return offset + Math.min(Math.max(position.column - 1, 0), text.length);
}

/** The line a position points into, split around what it points at: its `length` characters, else one (a space past the end of the line). */
export function excerptAt(sql: string, position: Pick<SqlPosition, 'line' | 'column' | 'length'>): { before: string; at: string; after: string } {
  const text = sql.split('\n')[position.line - 1] ?? '';
  const col = Math.min(Math.max(position.column - 1, 0), text.length);
  const end = Math.min(col + Math.max(position.length ?? 1, 1), text.length);
  return { before: text.slice(0, col), at: text.slice(col, end) || ' ', after: text.slice(end) };
}

/** `name` with a space on each side where it would otherwise run into a neighbouring word. */
export function spacedForInsertion(name: string, before: string, after: string): string {
  const word = /[\w"]/;
  return `${word.test(before.slice(-1)) ? ' ' : ''}${name}${word.test(after.charAt(0)) ? ' ' : ''}`;
}
