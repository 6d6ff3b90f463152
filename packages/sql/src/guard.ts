import type { SqlPosition } from '@access-monitor/contracts';
import { SqlInvalid, SqlRejected } from './errors';
import { explainPrefixLength, findLexicalHazard, isKeyword, splitStatements, tokenize, type Token } from './lexer';
import { positionAtIndex, positionOfByteOffset } from './position';
import type { Dialect, GuardedStatement, SqlParser, TrinoSqlParser } from './types';
import { ALLOWED, availableViews, isForbiddenFunction, READABLE } from './allowed-relations';
import { checkTrinoTree } from './trino-tree';

// Statements are parsed by DuckDB's parser, which reads Trino SQL such as `interval '1' day`,
// `cardinality(x)`, bare `user` and lambdas `x -> x + 1`, but not Trino's parameterised type names
// (`CAST(x AS array(varchar))`). For Athena, Trino's own tree decides (trino-tree.ts); the embedded
// engine refuses such a statement as Athena-only.

/** Table-reference kinds a FROM clause may contain. Everything else (TABLE_FUNCTION, SHOW_REF, COLUMN_DATA, …) is refused. */
const ALLOWED_TABLE_REFS = new Set(['BASE_TABLE', 'SUBQUERY', 'JOIN', 'EXPRESSION_LIST', 'EMPTY', 'PIVOT']);
/** Every table-reference kind DuckDB's parser knows, to recognise one anywhere in the tree. */
const TABLE_REF_TYPES = new Set([...ALLOWED_TABLE_REFS, 'TABLE_FUNCTION', 'SHOW_REF', 'COLUMN_DATA', 'DELIM_GET', 'CTE', 'BOUND_TABLE_REF', 'INVALID']);
const QUERY_NODE_TYPES = new Set(['SELECT_NODE', 'SET_OPERATION_NODE', 'RECURSIVE_CTE_NODE', 'CTE_NODE']);
/**
 * The only table function allowed: Trino's `CROSS JOIN UNNEST(array) AS t(x)` is how audit queries
 * expand list columns, and it reads nothing but its own arguments (which are walked like any expression).
 */
const ALLOWED_TABLE_FUNCTIONS = new Set(['unnest']);

export interface GuardOptions {
  /**
   * The engine's dialect. `trino` (Athena): the read-only rules are checked on Trino's parse tree,
   * the tree Athena builds, so valid Trino that DuckDB cannot parse (array casts) is allowed;
   * DuckDB's tree is checked too whenever DuckDB reads the statement. Default `duckdb`.
   */
  dialect?: Dialect;
  /** Trino's parser: required for `trino`; with `duckdb`, it tells an Athena-only statement from a syntax error. */
  trino?: TrinoSqlParser;
}

/** Guards one statement: throws SqlInvalid (does not parse) or SqlRejected (not allowed); returns what the AST says. */
export async function guardStatement(sql: string, parser: SqlParser, options: GuardOptions = {}): Promise<GuardedStatement> {
  // Before any parser: text Trino and DuckDB would read as different statements is refused on both engines.
  const hazard = findLexicalHazard(sql);
  if (hazard) throw new SqlRejected(`${hazard.reason}; Athena (Trino) would not read it as the guard does`, positionAtIndex(sql, hazard.index));
  const tokens = tokenize(sql);
  if (tokens.length === 0) throw new SqlRejected(`the statement is empty: write one SELECT query (${ALLOWED})`);

  const statements = splitStatements(tokens);
  if (statements.length === 0) throw new SqlRejected(`the statement is empty: write one SELECT query (${ALLOWED})`);
  if (statements.length > 1) {
    throw new SqlRejected(`only one statement is allowed; found ${statements.length}`, positionAtIndex(sql, statements[1]![0]!.start));
  }
  const statement = statements[0]!;
  const skip = explainPrefixLength(statement);
  const explain = skip > 0;
  const body = statement.slice(skip);
  const first = body[0];
  if (first === undefined) throw new SqlRejected(`EXPLAIN needs a statement to explain (${ALLOWED})`, positionAtIndex(sql, statement[0]!.end));
  refuseLeadingKeyword(sql, first, explain);

  const bodyStart = first.start;
  if (options.dialect === 'trino') {
    if (!options.trino) throw new TypeError('guardStatement: the trino dialect needs the Trino parser');
    return guardTrino(sql, bodyStart, explain, parser, options.trino);
  }
  const serialized = await parser.serialize(sql.slice(bodyStart));
  if (serialized.error) {
    if (serialized.error_type === 'parser') {
      if (options.trino) await refuseAthenaOnly(sql, bodyStart, serialized.error_message, options.trino);
      const position = positionOfByteOffset(sql, serialized.position, bodyStart);
      throw new SqlInvalid(serialized.error_message + (position ? ` (line ${position.line}, column ${position.column})` : ''), position);
    }
    // json_serialize_sql serialises SELECT only: anything else that got past the leading keyword is
    // a data-modifying statement behind a WITH list (`WITH x AS (…) DELETE …`) or similar.
    const refused = statementKeywordAfterWith(body);
    if (refused && !['SELECT', 'VALUES', '('].includes(refused.text.toUpperCase())) {
      throw new SqlRejected(`${refused.text.toUpperCase()} statements are not allowed: ${ALLOWED}`, positionAtIndex(sql, refused.start));
    }
    throw new SqlRejected(`the statement contains something other than a query, such as a PIVOT statement in a subquery (${serialized.error_message}): ${ALLOWED}`);
  }
  if (serialized.statements.length !== 1) throw new SqlRejected(`only one statement is allowed; found ${serialized.statements.length}`);

  const root = serialized.statements[0]!.node as AstObject;
  const walker = new AstWalker(sql, bodyStart);
  walker.walkQuery(root, new Set());
  const topLevelCtes = cteNames(root);
  for (const view of walker.views) {
    if (topLevelCtes.includes(view)) {
      throw new SqlRejected(`the CTE '${view}' has the name of a view it also reads; rename the CTE`);
    }
  }
  return { sql, explain, views: [...walker.views], columnNames: explain ? null : athenaColumnNames(root) };
}

/** Athena's guard: Trino's tree decides; DuckDB's, when DuckDB can read the statement, may refuse too. */
async function guardTrino(sql: string, bodyStart: number, explain: boolean, parser: SqlParser, trino: TrinoSqlParser): Promise<GuardedStatement> {
  const parsed = await trino.parse(sql.slice(bodyStart));
  if (!parsed.ok) {
    const position = parsed.offset !== undefined ? positionOfCodePoint(sql, bodyStart, parsed.offset) : undefined;
    throw new SqlInvalid(`${parsed.message}${position ? ` (line ${position.line}, column ${position.column})` : ''}`, position);
  }
  const facts = checkTrinoTree(parsed.statements, sql, bodyStart);
  const serialized = await parser.serialize(sql.slice(bodyStart));
  if (!serialized.error && serialized.statements.length === 1) new AstWalker(sql, bodyStart).walkQuery(serialized.statements[0]!.node as AstObject, new Set());
  return { sql, explain, views: facts.views, columnNames: explain ? null : facts.columnNames };
}

/**
 * The embedded engine's answer to a statement DuckDB cannot parse: if it is valid Trino that the
 * read-only rules allow, it is Athena-only (array casts such as `CAST(x AS array(varchar))`), and
 * the refusal says so; if Trino's tree breaks a rule, that refusal. Otherwise it returns, and the
 * caller reports DuckDB's syntax error.
 */
async function refuseAthenaOnly(sql: string, bodyStart: number, duckdbMessage: string, trino: TrinoSqlParser): Promise<void> {
  const parsed = await trino.parse(sql.slice(bodyStart));
  if (!parsed.ok) return;
  checkTrinoTree(parsed.statements, sql, bodyStart);
  throw new SqlRejected(
    `this statement is Athena-only: it is valid Trino (Athena's dialect), but the embedded DuckDB engine cannot parse it (${duckdbMessage.split('\n')[0]}). ` +
      'Run it with the Athena engine, or write what both engines read (json_extract_scalar, CAST(… AS varchar[]) instead of CAST(… AS array(varchar)))',
  );
}

/** Position in `sql` of a code point offset into `sql.slice(start)` (how polyglot counts). */
function positionOfCodePoint(sql: string, start: number, offset: number): SqlPosition {
  return positionAtIndex(sql, start + [...sql.slice(start)].slice(0, offset).join('').length);
}

function refuseLeadingKeyword(sql: string, first: Token, explain: boolean): void {
  if (first.kind === 'symbol' && first.text === '(') return; // a parenthesised query
  if (first.kind === 'word') {
    const keyword = first.text.toUpperCase();
    if (keyword === 'SELECT' || keyword === 'WITH' || keyword === 'VALUES') return;
    if (keyword === 'EXPLAIN' && explain) throw new SqlRejected(`EXPLAIN cannot be nested: ${ALLOWED}`, positionAtIndex(sql, first.start));
    if (keyword === 'FROM') throw new SqlRejected(`FROM-first queries are DuckDB-only: write SELECT … FROM (${ALLOWED})`, positionAtIndex(sql, first.start));
    throw new SqlRejected(`${keyword} statements are not allowed: ${ALLOWED}`, positionAtIndex(sql, first.start));
  }
  throw new SqlRejected(`a statement must start with SELECT, WITH or EXPLAIN; found '${first.text}'`, positionAtIndex(sql, first.start));
}

/** After `WITH name AS (…), …` the first top-level keyword that starts the statement body. */
function statementKeywordAfterWith(body: Token[]): Token | undefined {
  if (!isKeyword(body[0], 'WITH')) return undefined;
  const bodyKeywords = new Set(['SELECT', 'VALUES', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY', 'CREATE', 'DROP', 'ALTER', 'PIVOT', 'UNPIVOT', 'FROM', 'TABLE']);
  let depth = 0;
  for (const t of body.slice(1)) {
    if (t.kind === 'symbol' && t.text === '(') depth++;
    else if (t.kind === 'symbol' && t.text === ')') depth--;
    else if (depth === 0 && t.kind === 'word' && bodyKeywords.has(t.text.toUpperCase())) return t;
  }
  return undefined;
}

// ---- AST ----

type AstObject = { [key: string]: unknown };

const isObject = (v: unknown): v is AstObject => typeof v === 'object' && v !== null && !Array.isArray(v);

interface CteEntry {
  key: string;
  value: { query?: { node?: unknown } };
}

function cteEntries(node: AstObject): CteEntry[] {
  const map = node['cte_map'];
  if (!isObject(map) || !Array.isArray(map['map'])) return [];
  return (map['map'] as unknown[]).filter((e): e is CteEntry => isObject(e) && typeof e['key'] === 'string' && isObject(e['value']));
}

function cteNames(node: AstObject): string[] {
  return cteEntries(node).map((e) => e.key.toLowerCase());
}

/** Walks every object of the serialized tree, enforcing the allow-list and collecting the views read. */
class AstWalker {
  readonly views = new Set<string>();

  constructor(
    private readonly sql: string,
    private readonly bodyStart: number,
  ) {}

  private position(node: AstObject): SqlPosition | undefined {
    return positionOfByteOffset(this.sql, node['query_location'], this.bodyStart);
  }

  /** A query node (SELECT, set operation, recursive CTE); its CTEs are in scope for itself and later siblings. */
  walkQuery(node: AstObject, scope: ReadonlySet<string>): void {
    const type = node['type'];
    if (typeof type !== 'string' || !QUERY_NODE_TYPES.has(type)) {
      throw new SqlRejected(`unsupported query construct ${String(type)}: ${ALLOWED}`, this.position(node));
    }
    const inner = new Set(scope);
    if (type === 'RECURSIVE_CTE_NODE' && typeof node['cte_name'] === 'string') inner.add(node['cte_name'].toLowerCase());
    for (const entry of cteEntries(node)) {
      // A CTE sees the CTEs declared before it and itself (DuckDB reports the circular reference).
      inner.add(entry.key.toLowerCase());
      const query = entry.value.query?.node;
      if (isObject(query)) this.walkQuery(query, inner);
      this.walkChildren(entry.value as AstObject, inner, new Set(['query']));
    }
    this.walkChildren(node, inner, new Set(['cte_map']));
  }

  private walkChildren(node: AstObject, scope: ReadonlySet<string>, skip: ReadonlySet<string> = new Set()): void {
    for (const [key, value] of Object.entries(node)) {
      if (!skip.has(key)) this.walkValue(value, scope, key);
    }
  }

  private walkValue(value: unknown, scope: ReadonlySet<string>, key: string): void {
    if (Array.isArray(value)) {
      for (const item of value) this.walkValue(item, scope, key);
      return;
    }
    if (!isObject(value)) return;
    const type = value['type'];
    if ('class' in value) {
      this.walkExpression(value, scope);
    } else if (typeof type === 'string' && QUERY_NODE_TYPES.has(type)) {
      this.walkQuery(value, scope);
    } else if (key === 'from_table' || key === 'left' || key === 'right' || key === 'source' || (typeof type === 'string' && TABLE_REF_TYPES.has(type))) {
      this.walkTableRef(value, scope);
    } else if (isObject(value['node']) && key !== 'value') {
      // A nested SelectStatement ({ node, named_param_map }), e.g. a subquery.
      this.walkValue(value['node'], scope, 'node');
      this.walkChildren(value, scope, new Set(['node']));
    } else {
      this.walkChildren(value, scope);
    }
  }

  private walkTableRef(ref: AstObject, scope: ReadonlySet<string>): void {
    const type = String(ref['type']);
    if (!ALLOWED_TABLE_REFS.has(type)) {
      if (type === 'TABLE_FUNCTION') {
        const fn = isObject(ref['function']) ? ref['function'] : {};
        const name = String(fn['function_name'] ?? 'unknown').toLowerCase();
        if (ALLOWED_TABLE_FUNCTIONS.has(name) && !fn['schema'] && !fn['catalog']) {
          this.walkChildren(ref, scope);
          return;
        }
        throw new SqlRejected(`table function ${name} is not allowed: statements read only the audit views`, this.position(ref));
      }
      throw new SqlRejected(`${type === 'SHOW_REF' ? 'DESCRIBE/SHOW/SUMMARIZE' : type} is not allowed in FROM: statements read only the audit views`, this.position(ref));
    }
    if (type === 'BASE_TABLE') this.checkBaseTable(ref, scope);
    this.walkChildren(ref, scope);
  }

  private checkBaseTable(ref: AstObject, scope: ReadonlySet<string>): void {
    const table = String(ref['table_name'] ?? '');
    const schema = String(ref['schema_name'] ?? '');
    const catalog = String(ref['catalog_name'] ?? '');
    const name = table.toLowerCase();
    const qualified = [catalog, schema, table].filter((p) => p !== '').join('.');
    if (schema !== '' || catalog !== '') {
      throw new SqlRejected(`unknown table or view '${qualified}': views are not schema-qualified; ${availableViews(table)}`, this.position(ref));
    }
    if (/[./\\:*?]/.test(table)) {
      throw new SqlRejected(`reading files is not allowed ('${table}'): statements read only the audit views`, this.position(ref));
    }
    if (scope.has(name)) return;
    if (!READABLE.has(name)) throw new SqlRejected(`unknown table or view '${table}': ${availableViews(table)}`, this.position(ref));
    this.views.add(name);
  }

  private walkExpression(expr: AstObject, scope: ReadonlySet<string>): void {
    if (expr['class'] === 'FUNCTION' || expr['class'] === 'AGGREGATE' || expr['class'] === 'WINDOW') {
      const name = expr['function_name'];
      if (typeof name === 'string' && isForbiddenFunction(name)) {
        throw new SqlRejected(`function ${name.toLowerCase()} is not allowed: it reads outside the audit views`, this.position(expr));
      }
      const elements = typeof name === 'string' ? seriesLength(name.toLowerCase(), expr['children']) : undefined;
      if (elements !== undefined && elements > MAX_SERIES_ELEMENTS) {
        // DuckDB builds such a list outside its memory limit: one statement could take the server's memory.
        throw new SqlRejected(`${String(name).toLowerCase()}() of ${elements.toLocaleString('en')} elements is not allowed: at most ${MAX_SERIES_ELEMENTS.toLocaleString('en')}`, this.position(expr));
      }
    }
    this.walkChildren(expr, scope);
  }
}

/** Athena's output names for the left-most SELECT: `_colN` for unaliased expressions, null to keep the name. */
function athenaColumnNames(root: AstObject): Array<string | null> | null {
  let node: AstObject = root;
  while (node['type'] !== 'SELECT_NODE') {
    const left = node['left'] ?? (Array.isArray(node['children']) ? node['children'][0] : undefined);
    if (!isObject(left)) return null;
    node = left;
  }
  const items = node['select_list'];
  if (!Array.isArray(items)) return null;
  const names: Array<string | null> = [];
  for (const [i, item] of items.entries()) {
    if (!isObject(item) || item['class'] === 'STAR') return null;
    if (typeof item['alias'] === 'string' && item['alias'] !== '') names.push(null);
    else if (item['class'] === 'COLUMN_REF') names.push(null);
    else names.push(`_col${i}`);
  }
  return names;
}

/** The longest list `range()`/`generate_series()` may build from literal bounds. */
export const MAX_SERIES_ELEMENTS = 1_000_000;

/** How many elements `range(…)`/`generate_series(…)` with literal numeric arguments yields; undefined when it cannot be told. */
function seriesLength(name: string, children: unknown): number | undefined {
  if ((name !== 'range' && name !== 'generate_series') || !Array.isArray(children) || children.length === 0 || children.length > 3) return undefined;
  const values: number[] = [];
  for (const child of children) {
    if (!isObject(child) || child['class'] !== 'CONSTANT' || !isObject(child['value'])) return undefined;
    const v = Number(child['value']['value']);
    if (typeof child['value']['value'] === 'boolean' || !Number.isFinite(v)) return undefined;
    values.push(v);
  }
  const [start, stop, step] = values.length === 1 ? [0, values[0]!, 1] : [values[0]!, values[1]!, values[2] ?? 1];
  if (step === 0) return undefined;
  const span = (stop - start) / step;
  const count = Math.ceil(span) + (name === 'generate_series' ? 1 : 0);
  return Math.max(0, count);
}
