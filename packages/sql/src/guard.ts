import type { SqlPosition } from '@access-monitor/contracts';
import { SqlInvalid, SqlRejected } from './errors';
import { explainPrefixLength, isKeyword, splitStatements, tokenize, type Token } from './lexer';
import { positionAtIndex, positionOfByteOffset } from './position';
import type { GuardedStatement, SqlParser } from './types';
import { AUDIT_EVENTS, VIEWS } from './views';

// Statements are parsed by DuckDB's parser, which reads Trino SQL such as `interval '1' day`,
// `cardinality(x)`, bare `user` and lambdas `x -> x + 1`. Known gap: it does not parse Trino's
// parameterised type names, `CAST(x AS array(varchar))` (write `varchar[]`, or json_extract_scalar).

const ALLOWED = 'only SELECT, WITH … SELECT and EXPLAIN';

/** Relations a statement may read, besides the CTEs it declares itself. */
const READABLE = new Set<string>([AUDIT_EVENTS, ...VIEWS.map((v) => v.name)]);

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

/** Scalar functions that run SQL text, read files or reveal the engine's configuration or environment. */
const FORBIDDEN_FUNCTIONS = new Set([
  'query',
  'query_table',
  'getenv',
  'current_setting',
  'getvariable',
  'sniff_csv',
  'glob',
  'json_execute_serialized_sql',
  'json_deserialize_sql',
  'json_serialize_sql',
  'json_serialize_plan',
  'nextval',
  'currval',
  'setseed',
  'from_substrait',
  'get_substrait',
  'get_substrait_json',
  'checkpoint',
  'force_checkpoint',
  'enable_logging',
  'disable_logging',
  // The text of the running query would reveal the rendered file paths.
  'current_query',
  'current_database',
  'current_catalog',
  'current_schema',
  'current_schemas',
]);
const FORBIDDEN_FUNCTION_PREFIXES = ['duckdb_', 'pragma_', 'parquet_', 'read_', 'sniff_', 'iceberg_', 'delta_', 'sqlite_', 'postgres_', 'mysql_', 'icu_', 'which_secret'];

function isForbiddenFunction(name: string): boolean {
  const n = name.toLowerCase();
  return FORBIDDEN_FUNCTIONS.has(n) || FORBIDDEN_FUNCTION_PREFIXES.some((p) => n.startsWith(p));
}

/** Guards one statement: throws SqlInvalid (does not parse) or SqlRejected (not allowed); returns what the AST says. */
export async function guardStatement(sql: string, parser: SqlParser): Promise<GuardedStatement> {
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
  const serialized = await parser.serialize(sql.slice(bodyStart));
  if (serialized.error) {
    if (serialized.error_type === 'parser') {
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
    }
    this.walkChildren(expr, scope);
  }
}

function availableViews(name: string): string {
  const names = [AUDIT_EVENTS, ...[...READABLE].filter((v) => v !== AUDIT_EVENTS).sort()];
  const near = names.filter((v) => editDistance(v, name.toLowerCase()) <= 2);
  const hint = near.length > 0 ? `did you mean ${near.join(' or ')}? ` : '';
  return `${hint}available views are ${names.join(', ')}`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
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
