import type { FieldDefinition, ViewDefinition } from './types';
import { checkedPath, duckdbFieldAt, duckdbType, quoteIdentifier } from './render';
import { sqlString } from './sql-literals';
import { columnName } from './views';

/** What `json_transform` turns a key into: a type whose conversion is the JSON path's own, or the value's JSON text. */
type Leaf = 'VARCHAR[]' | 'MAP(VARCHAR, VARCHAR)' | 'JSON';
type Shape = Map<string, Shape | Leaf>;

const STRUCT = '"_am_t"';
const pathKey = (keys: readonly string[]): string => keys.join('\u0000');

/**
 * The same rows as `duckdbViewSelect`, for building the typed event store: each event's JSON goes through one
 * `json_transform` into a struct shaped like the view's paths (one walk of the document, each value converted
 * straight to its type) instead of a path lookup per column and a JSON text per value cast again. Every column
 * takes the value the JSON path's expression gives; the differential test holds the two to identical rows.
 */
export function duckdbViewBuildSelect(view: ViewDefinition, relation: string, extraColumns: readonly string[] = []): string {
  const shape: Shape = new Map();
  for (const f of view.fields) checkedPath(f);
  // A field whose path leads to other fields (labels, then labels.key): its value is kept as JSON, they read inside it.
  const below = (f: FieldDefinition, g: FieldDefinition): boolean => g.path.length > f.path.length && pathKey(g.path.slice(0, f.path.length)) === pathKey(f.path);
  const parents = new Set(view.fields.filter((f) => view.fields.some((g) => below(f, g))).map((f) => pathKey(f.path)));
  const columns = view.fields.map((f) => `${buildColumn(f, shape, parents)} AS ${quoteIdentifier(columnName(f))}`);
  const base = [...extraColumns, `CAST(event_time AS DATE) AS event_date`, `CAST(event_time AS TIMESTAMP) AS event_time`];
  const filter = `WHERE event_type = ${sqlString(view.eventType)}`;
  if (columns.length === 0) return `SELECT ${base.join(', ')} FROM ${relation} ${filter}`;
  const inner = `SELECT *, json_transform(event_data, ${sqlString(shapeJson(shape))}) AS ${STRUCT} FROM ${relation} ${filter}`;
  return `SELECT ${[...base, ...columns].join(', ')} FROM (${inner})`;
}

function buildColumn(field: FieldDefinition, shape: Shape, parents: ReadonlySet<string>): string {
  const keys = field.path;
  let cut = 1;
  while (cut < keys.length && !parents.has(pathKey(keys.slice(0, cut)))) cut++;
  if (parents.has(pathKey(keys.slice(0, cut)))) {
    // Inside a JSON fragment: the JSON path's own expression, over the fragment instead of the whole event.
    const value = duckdbFieldAt(field, member(shape, keys.slice(0, cut), 'JSON'), keys.slice(cut));
    return field.json ? jsonText(field, value) : value;
  }
  if (field.json) return jsonText(field, `CAST(${member(shape, keys, 'JSON')} AS VARCHAR)`);
  // The value's JSON text, read by json_extract_string: the transform's own VARCHAR writes real numbers its own
  // way (1e+21, 1e-07 for json_extract_string's 1e21, 1e-7).
  if (field.type === 'varchar') return `json_extract_string(${member(shape, keys, 'JSON')}, '$')`;
  // The JSON casts to these types are the transform itself.
  if (field.type === 'array(varchar)') return member(shape, keys, 'VARCHAR[]');
  if (field.type === 'map(varchar,varchar)') return member(shape, keys, 'MAP(VARCHAR, VARCHAR)');
  // Numbers, booleans and rows: the value's JSON text, then the JSON path's TRY_CAST. Transforming to the type
  // directly would be more lenient with strings than the cast ("1e3" → 1000, "1" → true).
  return `TRY_CAST(${member(shape, keys, 'JSON')} AS ${duckdbType(field.type)})`;
}

/**
 * JSON text of a `json` field. The transform gives NULL for a JSON null, where json_extract gives 'null': a NULL is
 * read again by json_extract when the key can be in the event's text (spelled plainly, or behind a \u escape).
 */
function jsonText(field: FieldDefinition, value: string): string {
  const key = field.path[field.path.length - 1]!;
  const mayHold = `contains(event_data, ${sqlString(`"${key}"`)}) OR contains(event_data, ${sqlString('\\u')})`;
  return `CASE WHEN ${value} IS NOT NULL THEN ${value} WHEN ${mayHold} THEN ${duckdbFieldAt(field, 'event_data', field.path)} END`;
}

/** Declares `keys` in the struct's shape as `leaf` and returns the expression reading it. */
function member(shape: Shape, keys: readonly string[], leaf: Leaf): string {
  let node = shape;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      node.set(key, leaf);
      return;
    }
    let next = node.get(key);
    if (!(next instanceof Map)) node.set(key, (next = new Map()));
    node = next;
  });
  return `${STRUCT}${keys.map((k) => `[${sqlString(k)}]`).join('')}`;
}

function shapeJson(shape: Shape): string {
  return `{${[...shape].map(([key, value]) => `${JSON.stringify(key)}:${value instanceof Map ? shapeJson(value) : JSON.stringify(value)}`).join(',')}}`;
}
