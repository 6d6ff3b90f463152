import type * as PolyglotModule from '@polyglot-sql/sdk';
import { AthenaQueryError, START, type QueryLocation } from './athena-query-error';
import { eventDateFilter, type EventDateFilter } from './event-date-filter';
import { TRINO_FUNCTIONS } from './trino-functions';

type Polyglot = typeof PolyglotModule;
type Node = Record<string, unknown>;

/** Where the statement runs: StartQueryExecution's QueryExecutionContext and the Glue tables the peer serves. */
export interface QueryContext {
  database?: string;
  catalog?: string;
  /** `database.table`, lower case. */
  tables: ReadonlySet<string>;
}

/** One read of a Glue table, with the event_date partitions its WHERE clause allows. */
export interface TableScan {
  table: string;
  filter: EventDateFilter;
}

export interface TranslatedQuery {
  /** The statement to run on DuckDB (the explained statement, for EXPLAIN). */
  duckdb: string;
  explain: boolean;
  /** Athena's output column names (`_colN` for unaliased expressions); null when they cannot be known (`*`). */
  columnNames: Array<string | null> | null;
  scans: TableScan[];
}

/** A word that starts a statement Athena runs but the peer does not: what the error names. */
const STATEMENT_WORDS = new Set(['REPAIR', 'TABLE', 'TABLES', 'INTO', 'VIEW', 'VIEWS', 'SCHEMA', 'SCHEMAS', 'DATABASE', 'DATABASES', 'EXTERNAL', 'OR', 'REPLACE', 'PARTITION', 'PARTITIONS', 'COLUMNS', 'FUNCTION', 'FUNCTIONS', 'STATS']);
const QUERY_KINDS = new Set(['select', 'union', 'intersect', 'except', 'subquery', 'paren', 'values']);
/** Statement kinds of the parse tree: nowhere in a query. */
const STATEMENT_KIND = /^(insert|update|delete|merge|copy|put|get|command|describe|show|use|pragma|grant|revoke|comment|set|set_statement|truncate|truncate_table|cache|uncache|load_data|refresh|kill|prepare|execute|declare|export|attach|detach|install|summarize|transaction|commit|rollback|alter_session|analyze|clone|undrop|create_.+|drop_.+|alter_.+|add_partition|replace_partition|drop_partition|locking_statement|multitable_inserts|conditional_insert|into_clause|return_stmt)$/;
/** What a FROM clause may hold; a table function there (other than UNNEST) is refused. */
const FROM_ITEM_KINDS = new Set(['table', 'subquery', 'unnest', 'values', 'paren', 'joined_table', 'lateral']);
/** Syntax that looks like a call: type names in casts (`map(varchar, array(varchar))`), `UNNEST(…)`. */
const CALL_SYNTAX = new Set(['array', 'varchar', 'char', 'decimal', 'timestamp', 'time', 'varbinary', 'interval', 'unnest']);

/**
 * Trino's renames that DuckDB needs on top of what the transpiler does, applied to the Trino
 * parse tree before it is transpiled (each one a documented gap of the transpiler):
 * - `date_diff(unit, a, b)` counts complete units in Trino; DuckDB's date_diff counts boundaries
 *   crossed and its date_sub counts complete units.
 * - `transform(array, lambda)` is DuckDB's list_transform, `array_join(array, delimiter)` its
 *   array_to_string (both skip NULL elements); the transpiler leaves the names.
 */
const FUNCTION_RENAMES: Record<string, string> = { date_diff: 'date_sub', transform: 'list_transform', array_join: 'array_to_string' };

const isObject = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Athena SQL (Trino) → DuckDB, through the `@polyglot-sql/sdk` transpiler: parse as Trino, check
 * what Athena would refuse (tables that do not exist, functions Trino does not have, more than a
 * query), point the Glue tables at the peer's DuckDB views, rewrite what the transpiler gets wrong
 * (`CAST(json AS varchar)`, date_diff, transform), print Trino again and transpile it to DuckDB.
 */
export class TrinoTranslator {
  private constructor(private readonly polyglot: Polyglot) {}

  /** Loads the transpiler's WebAssembly (about a second, once). */
  static async load(): Promise<TrinoTranslator> {
    return new TrinoTranslator(await import('@polyglot-sql/sdk'));
  }

  /** How many statements the text holds (Athena refuses more than one when the query is started). */
  statementCount(sql: string): number {
    const parsed = this.polyglot.parse(sql, this.polyglot.Dialect.Trino);
    return parsed.success ? parsed.ast.length : 1;
  }

  /** Throws AthenaQueryError for what Athena would fail (or the peer cannot run). */
  translate(sql: string, context: QueryContext): TranslatedQuery {
    const tokens = this.tokens(sql);
    const first = tokens[0];
    const leading = first?.text.toUpperCase() ?? '';
    const explain = leading === 'EXPLAIN';
    const parsed = this.polyglot.parse(sql, this.polyglot.Dialect.Trino);
    if (leading === 'FROM') throw new AthenaQueryError('SYNTAX_ERROR', first!.location, 'a FROM-first query is not Trino syntax (write SELECT … FROM)');
    if (!parsed.success) {
      if (first && !['SELECT', 'WITH', 'VALUES', 'EXPLAIN', '(', 'TABLE'].includes(leading)) throw notSupported(this.statementName(tokens), first.location);
      const location = { line: parsed.errorLine ?? 1, column: parsed.errorColumn ?? 1 };
      throw new AthenaQueryError('SYNTAX_ERROR', location, (parsed.error ?? 'the statement cannot be parsed').replace(/^Parse error at line \d+, column \d+: /, ''));
    }
    if (parsed.ast.length === 0) throw new AthenaQueryError('SYNTAX_ERROR', START, 'the statement is empty');
    let root = parsed.ast[0] as Node;
    const [kind, payload] = entry(root);
    if (explain) {
      if (kind !== 'describe' || !isObject(payload['target'])) throw notSupported(this.statementName(tokens), first!.location);
      root = payload['target'];
    } else if (!QUERY_KINDS.has(kind)) {
      throw notSupported(kind === 'create_table' && payload['as_select'] != null ? 'CREATE TABLE AS' : this.statementName(tokens), first?.location ?? START);
    }
    this.checkFunctions(tokens);

    const checker = new TreeChecker(context, this.polyglot);
    checker.walk(root, new Set(), undefined);
    const trino = this.polyglot.generate([root], this.polyglot.Dialect.Trino);
    if (!trino.success || !trino.sql?.[0]) throw new AthenaQueryError('SYNTAX_ERROR', START, `the transpiler cannot print the statement: ${trino.error ?? 'no output'}`);
    const duckdb = this.polyglot.transpile(trino.sql[0], this.polyglot.Dialect.Trino, this.polyglot.Dialect.DuckDB);
    if (!duckdb.success || !duckdb.sql?.[0]) throw new AthenaQueryError('SYNTAX_ERROR', START, `the transpiler cannot translate the statement to DuckDB: ${duckdb.error ?? 'no output'}`);
    return { duckdb: duckdb.sql[0], explain, columnNames: explain ? ['query plan'] : outputNames(root), scans: checker.scans };
  }

  /** Where the text first names `identifier` (for errors the translated statement met in DuckDB). */
  locate(sql: string, identifier: string): QueryLocation {
    try {
      return this.tokens(sql).find((t) => (t.type === 'VAR' || t.type === 'QUOTED_IDENTIFIER') && t.text.toLowerCase() === identifier.toLowerCase())?.location ?? START;
    } catch {
      return START;
    }
  }

  private tokens(sql: string): Array<{ type: string; text: string; location: QueryLocation }> {
    const result = this.polyglot.tokenize(sql, this.polyglot.Dialect.Trino);
    if (!result.success) throw new AthenaQueryError('SYNTAX_ERROR', { line: result.errorLine ?? 1, column: result.errorColumn ?? 1 }, result.error ?? 'the statement cannot be read');
    return (result.tokens ?? []).map((t) => {
      const raw = t as unknown as { token_type?: string; tokenType?: string; text: string; span: { start: number; end: number; line: number; column: number } };
      return { type: raw.token_type ?? raw.tokenType ?? '', text: raw.text, location: startOf(raw.span) };
    });
  }

  /** `MSCK REPAIR TABLE`, `UNLOAD`, `INSERT INTO`, …: the statement's leading keywords. */
  private statementName(tokens: Array<{ text: string }>): string {
    const words = [tokens[0]?.text.toUpperCase() ?? ''];
    for (const t of tokens.slice(1, 4)) {
      if (!STATEMENT_WORDS.has(t.text.toUpperCase())) break;
      words.push(t.text.toUpperCase());
    }
    return words.join(' ');
  }

  /** Every `name(` call names a Trino function (Athena: FUNCTION_NOT_FOUND otherwise). */
  private checkFunctions(tokens: Array<{ type: string; text: string; location: QueryLocation }>): void {
    for (const [i, t] of tokens.entries()) {
      if (tokens[i + 1]?.type !== 'L_PAREN' || (t.type !== 'VAR' && t.type !== 'QUOTED_IDENTIFIER')) continue;
      const before = tokens[i - 1]?.type;
      // `AS u(a)`, `t u(a)`, `WITH t(a) AS (…)`: column lists, not calls.
      if (before === 'AS' || before === 'VAR' || before === 'QUOTED_IDENTIFIER' || before === 'DOT') continue;
      if (tokens[closing(tokens, i + 1) + 1]?.type === 'AS') continue;
      const name = t.text.toLowerCase();
      if (TRINO_FUNCTIONS.has(name) || CALL_SYNTAX.has(name)) continue;
      throw new AthenaQueryError('FUNCTION_NOT_FOUND', t.location, `Function '${name}' not registered`);
    }
  }
}

/** Index of the R_PAREN matching the L_PAREN at `open`. */
function closing(tokens: Array<{ type: string }>, open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i]!.type === 'L_PAREN') depth++;
    else if (tokens[i]!.type === 'R_PAREN' && --depth === 0) return i;
  }
  return tokens.length;
}

/** polyglot spans give the 1-based column just past a token's end; Trino points at its start. */
function startOf(span: { start: number; end: number; line: number; column: number } | undefined): QueryLocation {
  if (!span) return START;
  return { line: span.line, column: Math.max(1, span.column - (span.end - span.start)) };
}

function entry(node: unknown): [string, Node] {
  if (!isObject(node)) return ['', {}];
  const key = Object.keys(node)[0] ?? '';
  return [key, isObject(node[key]) ? node[key] : {}];
}

function notSupported(statement: string, location: QueryLocation): AthenaQueryError {
  return new AthenaQueryError('NOT_SUPPORTED', location, `athena-local runs queries only (SELECT, WITH … SELECT, EXPLAIN); ${statement} is not supported here`);
}

const identifierName = (v: unknown): string | undefined => (isObject(v) && typeof v['name'] === 'string' ? v['name'] : undefined);
const identifierLocation = (v: unknown): QueryLocation => (isObject(v) && isObject(v['span']) ? startOf(v['span'] as never) : START);

/** Walks the Trino tree: statement kinds, FROM items, tables (resolved and re-pointed), rewrites. */
class TreeChecker {
  readonly scans: TableScan[] = [];

  constructor(
    private readonly context: QueryContext,
    private readonly polyglot: Polyglot,
  ) {}

  /** `select`: the SELECT whose FROM the walk is in (for the partition predicates of its tables). */
  walk(value: unknown, scope: ReadonlySet<string>, select: Node | undefined): void {
    if (Array.isArray(value)) {
      for (const item of value) this.walk(item, scope, select);
      return;
    }
    if (!isObject(value)) return;
    if (!this.polyglot.ast.isExpressionValue(value)) {
      for (const child of Object.values(value)) this.walk(child, scope, select);
      return;
    }
    this.rewrite(value);
    const [kind, payload] = entry(value);
    if (STATEMENT_KIND.test(kind)) throw notSupported(kind.replaceAll('_', ' ').toUpperCase(), START);
    const dialectOnly = notTrino(kind, payload);
    if (dialectOnly) throw new AthenaQueryError('SYNTAX_ERROR', START, `${dialectOnly} is not Trino syntax`);
    if (kind === 'table') return this.table(value, payload, scope, select);
    if (kind === 'select') this.checkFrom(payload);

    const inner = new Set(scope);
    const withClause = payload['with'];
    if (isObject(withClause) && Array.isArray(withClause['ctes'])) {
      const recursive = withClause['recursive'] === true;
      for (const cte of withClause['ctes'] as unknown[]) {
        const name = identifierName(isObject(cte) ? cte['alias'] : undefined)?.toLowerCase();
        if (recursive && name) inner.add(name);
        this.walk(isObject(cte) ? cte['this'] : undefined, new Set(inner), undefined);
        if (name) inner.add(name);
      }
    }
    for (const [key, child] of Object.entries(payload)) {
      if (key !== 'with') this.walk(child, inner, kind === 'select' ? payload : select);
    }
  }

  private checkFrom(select: Node): void {
    const from = isObject(select['from']) && Array.isArray(select['from']['expressions']) ? (select['from']['expressions'] as unknown[]) : [];
    const joins = Array.isArray(select['joins']) ? (select['joins'] as unknown[]).map((j) => (isObject(j) ? j['this'] : undefined)) : [];
    for (const item of [...from, ...joins]) {
      let [kind, payload] = entry(item);
      if (kind === 'alias') [kind, payload] = entry(payload['this']);
      if (FROM_ITEM_KINDS.has(kind)) continue;
      const name = kind === 'function' ? String(payload['name']).toLowerCase() : kind;
      throw new AthenaQueryError('NOT_SUPPORTED', START, `table function ${name} is not supported: athena-local reads only the Glue tables (and UNNEST)`);
    }
    if (Array.isArray(select['lateral_views']) && select['lateral_views'].length > 0) throw new AthenaQueryError('SYNTAX_ERROR', START, 'LATERAL VIEW is not Trino syntax');
  }

  /** A table reference: a CTE in scope, or a Glue table (re-pointed at the peer's `"db"."table"` view), or TABLE_NOT_FOUND. */
  private table(node: Node, payload: Node, scope: ReadonlySet<string>, select: Node | undefined): void {
    const name = identifierName(payload['name'])?.toLowerCase() ?? '';
    const schema = identifierName(payload['schema'])?.toLowerCase();
    const catalog = identifierName(payload['catalog'])?.toLowerCase();
    if (schema === undefined && scope.has(name)) return;
    const database = schema ?? this.context.database?.toLowerCase() ?? 'default';
    const catalogName = catalog ?? this.context.catalog?.toLowerCase() ?? 'awsdatacatalog';
    const qualified = `${database}.${name}`;
    if (catalogName !== 'awsdatacatalog' || !this.context.tables.has(qualified)) {
      const location = identifierLocation(payload['catalog'] ?? payload['schema'] ?? payload['name']);
      if (catalogName !== 'awsdatacatalog') throw new AthenaQueryError('CATALOG_NOT_FOUND', location, `Catalog '${catalogName}' does not exist`);
      throw new AthenaQueryError('TABLE_NOT_FOUND', location, `Table '${catalogName}.${qualified}' does not exist`);
    }
    const alias = identifierName(payload['alias'])?.toLowerCase();
    const where = select && isObject(select['where_clause']) ? select['where_clause']['this'] : undefined;
    this.scans.push({ table: qualified, filter: eventDateFilter(where, new Set(alias !== undefined ? [alias] : [name, qualified])) });
    node['table'] = { ...payload, catalog: null, schema: { name: database, quoted: true, trailing_comments: [] }, name: { name, quoted: true, trailing_comments: [] } };
  }

  /** Rewrites, in place, what DuckDB would run with another meaning. */
  private rewrite(node: Node): void {
    let [kind, payload] = entry(node);
    // Trino's CAST(json AS varchar) is the JSON string's value; DuckDB's keeps the quotes.
    if (kind === 'cast' && entry(payload['this'])[0] === 'json_extract' && ['var_char', 'varchar', 'text', 'string'].includes(String((payload['to'] as Node | null)?.['data_type']))) {
      delete node['cast'];
      [kind, payload] = ['json_extract_scalar', entry(payload['this'])[1]];
      node[kind] = payload;
    }
    // DuckDB reads `$."key"` but not Trino's `$["key"]`; the transpiler converts json_extract's paths only.
    if ((kind === 'json_extract' || kind === 'json_extract_scalar') && entry(payload['path'])[0] === 'literal') {
      const literal = entry(payload['path'])[1];
      if (typeof literal['value'] === 'string') literal['value'] = literal['value'].replace(/\["((?:[^"\\]|\\.)*)"\]/g, '."$1"');
    }
    if (kind === 'function') {
      const renamed = FUNCTION_RENAMES[String(payload['name']).toLowerCase()];
      if (renamed !== undefined) payload['name'] = renamed;
    }
  }
}

/**
 * Syntax of other dialects that the transpiler's Trino parser reads too, and Trino does not (so
 * Athena fails the query): `x::type`, `[1, 2]`, `{'k': v}`, ILIKE, `* EXCLUDE (…)`.
 */
function notTrino(kind: string, payload: Node): string | undefined {
  if ((kind === 'cast' || kind === 'try_cast') && payload['double_colon_syntax'] === true) return "a '::' cast (write CAST(x AS type))";
  if (kind === 'array_func' && payload['bracket_notation'] === true) return 'an array literal without ARRAY (write ARRAY[…])';
  if (kind === 'map_func' && payload['curly_brace_syntax'] === true) return 'a {…} literal';
  if (kind === 'i_like') return 'ILIKE';
  if (kind === 'star' && (payload['except'] != null || payload['replace'] != null || payload['rename'] != null)) return 'SELECT * EXCLUDE/REPLACE/RENAME';
  return undefined;
}

/** Athena's output names for the left-most SELECT: `_colN` for expressions without a name of their own. */
function outputNames(root: Node): Array<string | null> | null {
  let [kind, payload] = entry(root);
  while (kind !== 'select') {
    if (kind === 'union' || kind === 'intersect' || kind === 'except') [kind, payload] = entry(payload['left']);
    else if (kind === 'subquery' || kind === 'paren') [kind, payload] = entry(payload['this']);
    else return null;
  }
  const items = Array.isArray(payload['expressions']) ? (payload['expressions'] as unknown[]) : [];
  const names: Array<string | null> = [];
  for (const [i, item] of items.entries()) {
    const [itemKind, itemPayload] = entry(item);
    if (itemKind === 'star') return null;
    if (itemKind === 'alias') names.push(identifierName(itemPayload['alias'])?.toLowerCase() ?? `_col${i}`);
    else if (itemKind === 'column') {
      const [starKind] = entry(itemPayload['name']);
      if (starKind === 'star') return null;
      names.push(identifierName(itemPayload['name'])?.toLowerCase() ?? `_col${i}`);
    } else names.push(`_col${i}`);
  }
  return names;
}
