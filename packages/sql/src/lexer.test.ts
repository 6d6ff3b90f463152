import { describe, expect, it } from 'vitest';
import { explainPrefixLength, splitStatements, tokenize } from './lexer';

const texts = (sql: string) => tokenize(sql).map((t) => t.text);

describe('tokenize', () => {
  it('skips line comments and nested block comments', () => {
    expect(texts('SELECT -- a ; comment\n1 /* outer /* inner ; */ still ; comment */ ;')).toEqual(['SELECT', '1', ';']);
  });

  it("keeps strings whole, with '' escapes and E'' backslash escapes", () => {
    expect(texts("SELECT 'it''s; here', E'a\\'; b'")).toEqual(['SELECT', "'it''s; here'", ',', "E'a\\'; b'"]);
  });

  it('keeps quoted identifiers whole, with "" escapes', () => {
    const tokens = tokenize('SELECT "a "";" FROM t');
    expect(tokens[1]).toMatchObject({ kind: 'quoted-identifier', text: '"a "";"' });
  });

  it('keeps dollar-quoted strings whole', () => {
    expect(texts('SELECT $$a; b$$, $tag$ ; $$ ; $tag$')).toEqual(['SELECT', '$$a; b$$', ',', '$tag$ ; $$ ; $tag$']);
  });

  it('runs an unterminated string or comment to the end', () => {
    expect(texts("SELECT 'abc; DROP")).toEqual(['SELECT', "'abc; DROP"]);
    expect(texts('SELECT 1 /* ; DROP')).toEqual(['SELECT', '1']);
  });

  it('records positions as string indexes', () => {
    const [select, star] = tokenize('  SELECT\n *');
    expect(select).toMatchObject({ start: 2, end: 8 });
    expect(star).toMatchObject({ kind: 'symbol', start: 10, end: 11 });
  });
});

describe('splitStatements', () => {
  it('splits at top-level semicolons and drops empty statements', () => {
    expect(splitStatements(tokenize('SELECT 1;; SELECT 2 ;')).map((s) => s.map((t) => t.text))).toEqual([['SELECT', '1'], ['SELECT', '2']]);
  });
});

describe('explainPrefixLength', () => {
  it.each([
    ['SELECT 1', 0],
    ['EXPLAIN SELECT 1', 1],
    ['explain analyze SELECT 1', 2],
    ['EXPLAIN ANALYSE SELECT 1', 2],
    ['"explain" SELECT 1', 0],
  ])('%s → %i', (sql, n) => {
    expect(explainPrefixLength(tokenize(sql))).toBe(n);
  });
});
