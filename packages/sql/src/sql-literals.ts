// The only way a value enters SQL the project writes (configured names, paths, timeline subjects): as a literal, never pasted text.

// Control characters have no business in role or user names, and would make the SQL unreadable.
const hasControlCharacter = (value: string): boolean => [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** A SQL string literal for Trino and DuckDB: single quotes, each quote inside doubled (backslashes are literal in both). */
export function sqlString(value: string): string {
  if (hasControlCharacter(value)) throw new RangeError(`a SQL string value may not contain control characters: ${JSON.stringify(value)}`);
  return `'${value.replaceAll("'", "''")}'`;
}

/** Comma-separated string literals, for `x IN (…)`; an empty list would be a syntax error, so it is refused. */
export function sqlStringList(values: readonly string[]): string {
  if (values.length === 0) throw new RangeError('a SQL value list needs at least one value');
  return values.map(sqlString).join(', ');
}

/** A non-negative integer literal. */
export function sqlInteger(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`expected a non-negative integer, got ${value}`);
  return String(value);
}
