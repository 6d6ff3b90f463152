/**
 * A small SQL lexer: just enough to find statement boundaries and leading keywords without ever
 * looking inside strings, quoted identifiers or comments. Never used to rewrite SQL by pattern.
 */
export type TokenKind = 'word' | 'quoted-identifier' | 'string' | 'number' | 'symbol';

export interface Token {
  kind: TokenKind;
  /** The token's text as written. */
  text: string;
  /** Index of the first character in the source. */
  start: number;
  /** Index just after the last character. */
  end: number;
}

const isWordStart = (c: string): boolean => /[A-Za-z_\u0080-\uffff]/.test(c);
const isWordPart = (c: string): boolean => /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** Tokens of `sql`, skipping whitespace and comments. Unterminated strings/comments run to the end. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i++;
    } else if (c === '-' && next === '-') {
      while (i < n && sql[i] !== '\n' && sql[i] !== '\r') i++;
    } else if (c === '/' && next === '*') {
      // DuckDB (PostgreSQL grammar) nests block comments.
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
    } else if (c === "'" || ((c === 'E' || c === 'e') && next === "'")) {
      const start = i;
      const backslashEscapes = c !== "'";
      i += backslashEscapes ? 2 : 1;
      while (i < n) {
        if (backslashEscapes && sql[i] === '\\') i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") {
          i++;
          break;
        } else i++;
      }
      tokens.push({ kind: 'string', text: sql.slice(start, Math.min(i, n)), start, end: Math.min(i, n) });
    } else if (c === '"') {
      const start = i++;
      while (i < n) {
        if (sql[i] === '"' && sql[i + 1] === '"') i += 2;
        else if (sql[i] === '"') {
          i++;
          break;
        } else i++;
      }
      tokens.push({ kind: 'quoted-identifier', text: sql.slice(start, Math.min(i, n)), start, end: Math.min(i, n) });
    } else if (c === '$' && /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.test(sql.slice(i, i + 66))) {
      // Dollar-quoted string: $$…$$ or $tag$…$tag$.
      const start = i;
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 66))![0];
      const close = sql.indexOf(tag, i + tag.length);
      i = close < 0 ? n : close + tag.length;
      tokens.push({ kind: 'string', text: sql.slice(start, i), start, end: i });
    } else if (isWordStart(c)) {
      const start = i;
      while (i < n && isWordPart(sql[i]!)) i++;
      tokens.push({ kind: 'word', text: sql.slice(start, i), start, end: i });
    } else if (isDigit(c) || (c === '.' && next !== undefined && isDigit(next))) {
      const start = i;
      while (i < n && /[0-9A-Za-z_.]/.test(sql[i]!)) i++;
      tokens.push({ kind: 'number', text: sql.slice(start, i), start, end: i });
    } else {
      tokens.push({ kind: 'symbol', text: c, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

/** True when `t` is the unquoted keyword `keyword` (case-insensitive). */
export function isKeyword(t: Token | undefined, keyword: string): boolean {
  return t !== undefined && t.kind === 'word' && t.text.toUpperCase() === keyword;
}

/** Statements of a token list, split at top-level `;` (empty statements dropped). */
export function splitStatements(tokens: Token[]): Token[][] {
  const statements: Token[][] = [];
  let current: Token[] = [];
  for (const t of tokens) {
    if (t.kind === 'symbol' && t.text === ';') {
      if (current.length > 0) statements.push(current);
      current = [];
    } else current.push(t);
  }
  if (current.length > 0) statements.push(current);
  return statements;
}

/** Index of the first token after `EXPLAIN [ANALYZE]` (0 when the statement is not an EXPLAIN). */
export function explainPrefixLength(tokens: Token[]): number {
  if (!isKeyword(tokens[0], 'EXPLAIN')) return 0;
  return isKeyword(tokens[1], 'ANALYZE') || isKeyword(tokens[1], 'ANALYSE') ? 2 : 1;
}

/** Where a statement's text would be read differently by Trino's lexer and DuckDB's, and why. */
export interface LexicalHazard {
  index: number;
  reason: string;
}

/**
 * The first place the guard must refuse before any parser sees the text, so that what it approved is
 * what Athena reads: a NUL anywhere; another control character (not tab, CR or LF) outside string
 * literals and quoted identifiers (DuckDB skips `\f` and `\v` as space, Trino does not); and a
 * block comment inside a block comment (DuckDB nests them, Trino ends at the first `*\/`, so
 * `/* /* *\/ SELECT …` hides different statements from each).
 */
export function findLexicalHazard(sql: string): LexicalHazard | undefined {
  const nul = sql.indexOf('\0');
  if (nul >= 0) return { index: nul, reason: 'the statement contains a NUL character' };
  const control = (i: number): LexicalHazard | undefined => {
    const code = sql.charCodeAt(i);
    const isControl = (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f;
    return isControl ? { index: i, reason: `the statement contains the control character U+${code.toString(16).toUpperCase().padStart(4, '0')} outside a string literal` } : undefined;
  };
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      for (i += 2; i < n && sql[i] !== '\n' && sql[i] !== '\r'; i++) {
        const hazard = control(i);
        if (hazard) return hazard;
      }
    } else if (c === '/' && next === '*') {
      const start = i;
      for (i += 2; i < n && !(sql[i] === '*' && sql[i + 1] === '/'); i++) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          return { index: i, reason: `a block comment opens inside the block comment that starts at offset ${start}: Trino ends it at the first */ and DuckDB does not, so they would read different statements` };
        }
        const hazard = control(i);
        if (hazard) return hazard;
      }
      i += 2;
    } else if (c === "'" || c === '"') {
      // Literals and quoted identifiers, with doubled quotes (Trino has no backslash escapes).
      for (i++; i < n; i++) {
        if (sql[i] === c && sql[i + 1] === c) i++;
        else if (sql[i] === c) break;
      }
      i++;
    } else {
      const hazard = control(i);
      if (hazard) return hazard;
      i++;
    }
  }
  return undefined;
}
