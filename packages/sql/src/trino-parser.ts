import type * as PolyglotModule from '@polyglot-sql/sdk';
import type { TrinoParse, TrinoSqlParser } from './types';

type Polyglot = typeof PolyglotModule;

/**
 * Trino's grammar as the `@polyglot-sql/sdk` transpiler's Trino dialect reads it. Its WebAssembly
 * (and the module's small patch of `fetch` for `file:` URLs, how it loads the .wasm in Node) is
 * loaded on the first parse, not when this module is imported: the embedded engine asks only for
 * statements DuckDB cannot parse.
 */
export function createTrinoSqlParser(): TrinoSqlParser {
  let polyglot: Promise<Polyglot> | undefined;
  return {
    async parse(sql: string): Promise<TrinoParse> {
      const p = await (polyglot ??= import('@polyglot-sql/sdk'));
      const result = p.parse(sql, p.Dialect.Trino);
      if (result.success) return { ok: true, statements: result.ast };
      const message = (result.error ?? 'the statement does not parse').replace(/^Parse error at line \d+, column \d+: /, '');
      return { ok: false, message, ...(result.errorStart !== undefined ? { offset: result.errorStart } : {}) };
    },
  };
}
