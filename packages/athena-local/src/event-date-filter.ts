/**
 * Athena prunes Teleport's table by its partition column `event_date` (partition projection over
 * `<location>/<YYYY-MM-DD>/`). This reads, from the Trino parse tree of one SELECT, the dates its
 * WHERE allows for one table reference: top-level AND conjuncts comparing `event_date` (bare or
 * qualified by the reference's name) with date literals. Anything else leaves the scan unbounded,
 * as it would leave Athena scanning every partition.
 */
export interface EventDateFilter {
  min?: string;
  max?: string;
  /** `event_date IN (…)` / `= …`: only these dates. */
  only?: string[];
}

type Node = Record<string, unknown>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const isObject = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The single key of a polyglot expression node and its payload. */
function expression(v: unknown): [string, Node] | undefined {
  if (!isObject(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1 || !isObject(v[keys[0]!])) return undefined;
  return [keys[0]!, v[keys[0]!] as Node];
}

export function admits(filter: EventDateFilter, date: string): boolean {
  if (filter.min !== undefined && date < filter.min) return false;
  if (filter.max !== undefined && date > filter.max) return false;
  return filter.only === undefined || filter.only.includes(date);
}

/** The filter the WHERE clause `where` (a select's `where_clause.this`) puts on the reference named `names`. */
export function eventDateFilter(where: unknown, names: ReadonlySet<string>): EventDateFilter {
  const filter: EventDateFilter = {};
  for (const conjunct of conjuncts(where)) apply(filter, conjunct, names);
  return filter;
}

function conjuncts(node: unknown): unknown[] {
  const e = expression(node);
  if (!e) return [];
  if (e[0] === 'and') return [...conjuncts(e[1]['left']), ...conjuncts(e[1]['right'])];
  if (e[0] === 'paren') return conjuncts(e[1]['this']);
  return [node];
}

function isEventDate(node: unknown, names: ReadonlySet<string>): boolean {
  const e = expression(node);
  if (!e || e[0] !== 'column') return false;
  const name = (e[1]['name'] as { name?: string } | null)?.name?.toLowerCase();
  const table = (e[1]['table'] as { name?: string } | null)?.name?.toLowerCase();
  return name === 'event_date' && (table === undefined || names.has(table));
}

/** `date 'YYYY-MM-DD'`, `CAST('YYYY-MM-DD' AS date)`, `date('YYYY-MM-DD')`. */
function dateLiteral(node: unknown): string | undefined {
  const e = expression(node);
  if (!e) return undefined;
  const [kind, payload] = e;
  const text = (n: unknown): string | undefined => {
    const l = expression(n);
    return l && l[0] === 'literal' && l[1]['literal_type'] === 'string' && typeof l[1]['value'] === 'string' ? l[1]['value'] : undefined;
  };
  let value: string | undefined;
  if (kind === 'literal' && payload['literal_type'] === 'date') value = String(payload['value']);
  else if (kind === 'cast' && (payload['to'] as { data_type?: unknown } | null)?.data_type === 'date') value = text(payload['this']);
  else if (kind === 'function' && String(payload['name']).toLowerCase() === 'date' && Array.isArray(payload['args']) && payload['args'].length === 1) value = text(payload['args'][0]);
  return value !== undefined && DATE.test(value) ? value : undefined;
}

const raiseMin = (f: EventDateFilter, d: string): void => void (f.min = f.min === undefined || d > f.min ? d : f.min);
const lowerMax = (f: EventDateFilter, d: string): void => void (f.max = f.max === undefined || d < f.max ? d : f.max);
const restrict = (f: EventDateFilter, dates: string[]): void => void (f.only = f.only === undefined ? dates : f.only.filter((d) => dates.includes(d)));

const nextDay = (d: string): string => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const previousDay = (d: string): string => new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

function apply(filter: EventDateFilter, conjunct: unknown, names: ReadonlySet<string>): void {
  const e = expression(conjunct);
  if (!e) return;
  const [kind, p] = e;
  if (kind === 'between' && p['not'] !== true && isEventDate(p['this'], names)) {
    const low = dateLiteral(p['low']);
    const high = dateLiteral(p['high']);
    if (low !== undefined) raiseMin(filter, low);
    if (high !== undefined) lowerMax(filter, high);
    return;
  }
  if (kind === 'in' && p['not'] !== true && isEventDate(p['this'], names) && Array.isArray(p['expressions']) && p['query'] == null) {
    const dates = p['expressions'].map(dateLiteral);
    if (dates.every((d): d is string => d !== undefined)) restrict(filter, dates);
    return;
  }
  if (!['eq', 'gt', 'gte', 'lt', 'lte'].includes(kind)) return;
  // `event_date op date` or `date op event_date` (the operator read from event_date's side).
  const flipped: Record<string, string> = { eq: 'eq', gt: 'lt', gte: 'lte', lt: 'gt', lte: 'gte' };
  let op = kind;
  let date = isEventDate(p['left'], names) ? dateLiteral(p['right']) : undefined;
  if (date === undefined && isEventDate(p['right'], names)) {
    date = dateLiteral(p['left']);
    op = flipped[kind]!;
  }
  if (date === undefined) return;
  if (op === 'eq') restrict(filter, [date]);
  else if (op === 'gte') raiseMin(filter, date);
  else if (op === 'gt') raiseMin(filter, nextDay(date));
  else if (op === 'lte') lowerMax(filter, date);
  else lowerMax(filter, previousDay(date));
}
