import type { SqlPosition } from '@access-monitor/contracts';
import { tokenize } from './lexer';
import { positionAtIndex } from './position';

/**
 * Where an engine's error at execution points in the SQL the user wrote. Engines report positions in the
 * statement they ran: the user's text with the views' CTEs inserted at one point (`renderExecutable`) and,
 * for DuckDB, wrapped in `COPY (… FROM (\n<statement>\n) …)`. The user's text is never edited otherwise, so
 * a position before the insertion point is the same in both texts and one after it is shifted by the
 * inserted length; a position inside the inserted text is no place in the user's SQL.
 */

/**
 * The position in `userSql` of a DuckDB error (binder, catalog, conversion): from the `LINE n:` excerpt and
 * its caret when DuckDB gives one, else from the column a GROUP BY error names. Undefined when the error
 * names no place, or one outside the user's text.
 */
export function duckdbErrorPosition(error: unknown, userSql: string, executedSql: string): SqlPosition | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const excerpt = DUCKDB_EXCERPT.exec(message);
  if (excerpt) {
    const index = executedIndexOfExcerpt(executedSql, Number(excerpt[1]), excerpt[2]!, excerpt[3]!.length - `LINE ${excerpt[1]}: `.length);
    const user = index === undefined ? undefined : userIndexOfExecuted(userSql, executedSql, index);
    return user === undefined ? undefined : positionWithToken(userSql, user);
  }
  const grouped = DUCKDB_GROUP_BY.exec(message);
  return grouped ? firstWordPosition(userSql, grouped[1]!) : undefined;
}

/** The position in `userSql` of an Athena (Trino) error: `COLUMN_NOT_FOUND: line 3:8: Column 'x' cannot be resolved`. */
export function trinoErrorPosition(message: string, userSql: string, executedSql: string): SqlPosition | undefined {
  const at = TRINO_LOCATION.exec(message);
  if (!at) return undefined;
  const line = Number(at[1]);
  const column = Number(at[2]);
  const lines = executedSql.split('\n');
  if (line < 1 || line > lines.length || column < 1 || column > lines[line - 1]!.length + 1) return undefined;
  let index = column - 1;
  for (let i = 0; i < line - 1; i++) index += lines[i]!.length + 1;
  const user = userIndexOfExecuted(userSql, executedSql, index);
  return user === undefined ? undefined : positionWithToken(userSql, user);
}

/** DuckDB's excerpt: `LINE n: <the line, perhaps cut to 40 columns either side with ...>` then spaces and `^`. */
const DUCKDB_EXCERPT = /\n[ \t]*LINE (\d+): ([^\n]*)\n( *)\^/;
/** The one binder error without an excerpt (a HAVING clause naming a column outside GROUP BY). */
const DUCKDB_GROUP_BY = /column "?([^"\s]+)"? must appear in the GROUP BY clause/;
/** Trino's location, after the error name: `SYNTAX_ERROR: line 1:8: …`. */
const TRINO_LOCATION = /^(?:[A-Z][A-Z0-9_]*:\s*)?line (\d+):(\d+):/;

/** Index in `userSql` of an index in the statement the engine ran, or undefined inside the text inserted around it. */
export function userIndexOfExecuted(userSql: string, executedSql: string, index: number): number | undefined {
  // renderExecutable drops trailing semicolons and comments: compare with the statement it kept.
  const tokens = tokenize(userSql);
  let last = tokens.length - 1;
  while (last >= 0 && tokens[last]!.kind === 'symbol' && tokens[last]!.text === ';') last--;
  const body = last >= 0 ? userSql.slice(0, tokens[last]!.end) : userSql;

  let prefix = 0;
  while (prefix < body.length && prefix < executedSql.length && body[prefix] === executedSql[prefix]) prefix++;
  if (index < prefix) return index;
  const room = Math.min(body.length, executedSql.length) - prefix;
  let suffix = 0;
  while (suffix < room && body[body.length - 1 - suffix] === executedSql[executedSql.length - 1 - suffix]) suffix++;
  const tailStart = executedSql.length - suffix;
  if (index >= tailStart && index < executedSql.length) return index - (executedSql.length - body.length);
  return undefined;
}

/**
 * Index in `executedSql` of DuckDB's caret: the excerpt is found on the statement's line `line` (or the line
 * before, when COPY's wrapper added one), and the caret's render width is walked from where the excerpt starts.
 */
function executedIndexOfExcerpt(executedSql: string, line: number, excerpt: string, caretWidth: number): number | undefined {
  const cutStart = excerpt.startsWith('...');
  let text = cutStart ? excerpt.slice(3) : excerpt;
  if (text.endsWith('...')) text = text.slice(0, -3);
  const width = caretWidth - (cutStart ? 3 : 0);
  if (width < 0) return undefined;

  const lines = executedSql.split('\n');
  const starts: number[] = [];
  for (let i = 0, at = 0; i < lines.length; at += lines[i]!.length + 1, i++) starts.push(at);
  const candidates = [line, line - 1, ...lines.map((_, i) => i + 1).sort((a, b) => Math.abs(a - line) - Math.abs(b - line))];
  for (const n of candidates) {
    const content = lines[n - 1];
    if (content === undefined) continue;
    const from = cutStart ? content.indexOf(text) : content.startsWith(text) ? 0 : -1;
    if (from < 0) continue;
    let i = from;
    for (let walked = 0; walked < width && i < content.length; ) {
      const cp = content.codePointAt(i)!;
      walked += renderWidth(cp);
      i += cp > 0xffff ? 2 : 1;
    }
    return starts[n - 1]! + i;
  }
  return undefined;
}

/** Columns a code point takes in DuckDB's excerpt: none for control characters and combining marks, two for wide ones. */
function renderWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x300 && cp < 0x370) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}

/** The position of `index`, with the length of the token starting there (what an editor underlines). */
function positionWithToken(sql: string, index: number): SqlPosition {
  const token = tokenize(sql).find((t) => t.start <= index && index < t.end);
  const position = positionAtIndex(sql, index);
  return token ? { ...position, length: token.end - index } : position;
}

/** The first unquoted word `name` (case-insensitive) or quoted identifier `"name"` in `sql`. */
function firstWordPosition(sql: string, name: string): SqlPosition | undefined {
  const token = tokenize(sql).find((t) => (t.kind === 'word' && t.text.toLowerCase() === name.toLowerCase()) || (t.kind === 'quoted-identifier' && t.text === `"${name.replaceAll('"', '""')}"`));
  return token ? { ...positionAtIndex(sql, token.start), length: token.end - token.start } : undefined;
}
