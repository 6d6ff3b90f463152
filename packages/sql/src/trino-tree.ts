import type { SqlPosition } from '@access-monitor/contracts';
import { ALLOWED, availableViews, isForbiddenFunction, READABLE } from './allowed-relations';
import { SqlRejected } from './errors';
import { positionAtIndex } from './position';

type Node = Record<string, unknown>;

/** What the guard learns from Trino's tree of an allowed statement. */
export interface TrinoTreeFacts {
  views: string[];
  columnNames: Array<string | null> | null;
}

const QUERY_KINDS = new Set(['select', 'union', 'intersect', 'except', 'subquery', 'paren', 'values']);
/** Statement kinds of the tree: refused wherever they appear. */
const STATEMENT_KIND =
  /^(insert|update|delete|merge|copy|put|get|command|describe|show|use|pragma|grant|revoke|comment|set|set_statement|truncate|truncate_table|cache|uncache|load_data|refresh|kill|prepare|execute|declare|export|attach|detach|install|summarize|transaction|commit|rollback|alter_session|analyze|clone|undrop|create_.+|drop_.+|alter_.+|add_partition|replace_partition|drop_partition|locking_statement|multitable_inserts|conditional_insert|into_clause|return_stmt|stream|using_data|stage_reference|to_file|read_.+)$/;
/** What a FROM clause may hold; any other relation (a table function) is refused, except UNNEST. */
const FROM_ITEM_KINDS = new Set(['table', 'subquery', 'unnest', 'values', 'paren', 'joined_table', 'lateral']);

const isObject = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A tree node is a one-key object `{ kind: payload }` (polyglot's expression shape); `this` is a field. */
function node(v: unknown): [string, Node] | undefined {
  if (!isObject(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1 || keys[0] === 'this' || !isObject(v[keys[0]!])) return undefined;
  return [keys[0]!, v[keys[0]!] as Node];
}

const nameOf = (v: unknown): string | undefined => (isObject(v) && typeof v['name'] === 'string' ? v['name'] : undefined);

/**
 * The guard's read-only rules on Trino's parse tree (`@polyglot-sql/sdk`'s Trino dialect), the
 * tree Athena's own parser would build: one query (SELECT, WITH … SELECT, set operations, VALUES),
 * reading only the views and its own CTEs (unqualified), no table function but UNNEST, no
 * function that reads outside the views, no statement nested anywhere.
 * `text` is the statement as parsed (after EXPLAIN), `start` its index in `sql`.
 */
export function checkTrinoTree(statements: unknown[], sql: string, start: number): TrinoTreeFacts {
  if (statements.length !== 1) throw new SqlRejected(`only one statement is allowed; found ${statements.length}`);
  const root = statements[0];
  const [kind] = node(root) ?? ['unknown'];
  if (!QUERY_KINDS.has(kind)) throw new SqlRejected(`${kind.replaceAll('_', ' ').toUpperCase()} statements are not allowed: ${ALLOWED}`, positionAtIndex(sql, start));
  const walker = new TrinoWalker(sql, start);
  walker.walk(root, new Set());
  for (const cte of topLevelCtes(root)) {
    if (walker.views.has(cte)) throw new SqlRejected(`the CTE '${cte}' has the name of a view it also reads; rename the CTE`);
  }
  return { views: [...walker.views], columnNames: columnNames(root) };
}

function topLevelCtes(root: unknown): string[] {
  const [, payload] = node(root) ?? ['', {}];
  const withClause = payload['with'];
  if (!isObject(withClause) || !Array.isArray(withClause['ctes'])) return [];
  return (withClause['ctes'] as unknown[]).map((c) => nameOf(isObject(c) ? c['alias'] : undefined)?.toLowerCase() ?? '').filter((n) => n !== '');
}

class TrinoWalker {
  readonly views = new Set<string>();

  constructor(
    private readonly sql: string,
    private readonly start: number,
  ) {}

  /** Position in the user's text of an identifier's span (polyglot counts code points from the parsed text's start). */
  private position(identifier: unknown): SqlPosition | undefined {
    const span = isObject(identifier) ? identifier['span'] : undefined;
    if (!isObject(span) || typeof span['start'] !== 'number') return undefined;
    const parsed = this.sql.slice(this.start);
    const index = [...parsed].slice(0, span['start']).join('').length;
    return positionAtIndex(this.sql, this.start + index);
  }

  walk(value: unknown, scope: ReadonlySet<string>): void {
    if (Array.isArray(value)) {
      for (const item of value) this.walk(item, scope);
      return;
    }
    if (!isObject(value)) return;
    const entry = node(value);
    if (!entry) {
      for (const child of Object.values(value)) this.walk(child, scope);
      return;
    }
    const [kind, payload] = entry;
    if (STATEMENT_KIND.test(kind)) throw new SqlRejected(`${kind.replaceAll('_', ' ').toUpperCase()} is not allowed in a query: ${ALLOWED}`);
    if (kind === 'table') return this.table(payload, scope);
    if (kind === 'function' && typeof payload['name'] === 'string' && isForbiddenFunction(payload['name'])) {
      throw new SqlRejected(`function ${payload['name'].toLowerCase()} is not allowed: it reads outside the audit views`);
    }
    if (kind === 'select') this.checkSelect(payload);

    const inner = new Set(scope);
    const withClause = payload['with'];
    if (isObject(withClause) && Array.isArray(withClause['ctes'])) {
      const recursive = withClause['recursive'] === true;
      for (const cte of withClause['ctes'] as unknown[]) {
        const name = nameOf(isObject(cte) ? cte['alias'] : undefined)?.toLowerCase();
        // A CTE sees the ones declared before it (and itself, in WITH RECURSIVE).
        if (recursive && name) inner.add(name);
        this.walk(isObject(cte) ? cte['this'] : undefined, new Set(inner));
        if (name) inner.add(name);
      }
    }
    for (const [key, child] of Object.entries(payload)) if (key !== 'with') this.walk(child, inner);
  }

  private checkSelect(select: Node): void {
    const from = isObject(select['from']) && Array.isArray(select['from']['expressions']) ? (select['from']['expressions'] as unknown[]) : [];
    const joins = Array.isArray(select['joins']) ? (select['joins'] as unknown[]).map((j) => (isObject(j) ? j['this'] : undefined)) : [];
    for (const item of [...from, ...joins]) {
      let entry = node(item);
      if (entry?.[0] === 'alias') entry = node(entry[1]['this']);
      if (entry && FROM_ITEM_KINDS.has(entry[0])) continue;
      const name = entry?.[0] === 'function' ? String(entry[1]['name']).toLowerCase() : (entry?.[0] ?? 'unknown');
      throw new SqlRejected(`table function ${name} is not allowed: statements read only the audit views`);
    }
    if (Array.isArray(select['lateral_views']) && select['lateral_views'].length > 0) throw new SqlRejected('LATERAL VIEW is not allowed: statements read only the audit views');
    if (select['into'] != null) throw new SqlRejected(`SELECT … INTO is not allowed: ${ALLOWED}`);
  }

  private table(payload: Node, scope: ReadonlySet<string>): void {
    const table = nameOf(payload['name']) ?? '';
    const schema = nameOf(payload['schema']);
    const catalog = nameOf(payload['catalog']);
    const position = this.position(payload['catalog'] ?? payload['schema'] ?? payload['name']);
    if (schema !== undefined || catalog !== undefined) {
      const qualified = [catalog, schema, table].filter((p) => p !== undefined).join('.');
      throw new SqlRejected(`unknown table or view '${qualified}': views are not schema-qualified; ${availableViews(table)}`, position);
    }
    const name = table.toLowerCase();
    if (scope.has(name)) return;
    if (!READABLE.has(name)) throw new SqlRejected(`unknown table or view '${table}': ${availableViews(table)}`, position);
    this.views.add(name);
  }
}

/** Athena's output names for the left-most SELECT: `_colN` for unaliased expressions, null to keep the name. */
function columnNames(root: unknown): Array<string | null> | null {
  let entry = node(root);
  while (entry && entry[0] !== 'select') {
    if (['union', 'intersect', 'except'].includes(entry[0])) entry = node(entry[1]['left']);
    else if (entry[0] === 'subquery' || entry[0] === 'paren') entry = node(entry[1]['this']);
    else return null;
  }
  if (!entry || !Array.isArray(entry[1]['expressions'])) return null;
  const names: Array<string | null> = [];
  for (const [i, item] of (entry[1]['expressions'] as unknown[]).entries()) {
    let e = node(item);
    while (e?.[0] === 'annotated') e = node(e[1]['this']);
    if (!e || e[0] === 'star') return null;
    if (e[0] === 'column' && node(e[1]['name'])?.[0] === 'star') return null;
    names.push(e[0] === 'alias' || e[0] === 'column' ? null : `_col${i}`);
  }
  return names;
}
