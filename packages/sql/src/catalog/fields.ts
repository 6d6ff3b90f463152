import type { ColumnType, FieldDefinition } from '../types';

/** A JSON key (`'addr.remote'`) or a path of keys (`['identity', 'expires']`). */
type PathSpec = string | string[];

const at = (path: PathSpec): string[] => (typeof path === 'string' ? [path] : path);

export const varchar = (path: PathSpec, description?: string): FieldDefinition => ({ path: at(path), type: 'varchar', description });
export const integer = (path: PathSpec, description?: string): FieldDefinition => ({ path: at(path), type: 'integer', description });
/**
 * Teleport's eventschema types every proto integer (int32 to uint64) `integer`. bigint only where real values pass
 * 2^31 - 1 (byte counters, file sizes, uint32 ids): Trino's CAST to integer would fail the whole query on one such row.
 */
export const bigint = (path: PathSpec, description?: string): FieldDefinition => ({ path: at(path), type: 'bigint', description });
export const boolean = (path: PathSpec, description?: string): FieldDefinition => ({ path: at(path), type: 'boolean', description });
export const strings = (path: PathSpec, description?: string): FieldDefinition => ({ path: at(path), type: 'array(varchar)', description });
/**
 * map<string,string> in the proto (labels): the map (always string values, so Trino's map cast cannot fail), then
 * Teleport's own two columns for it. Teleport's eventschema describes such a map as an object {key, value} and its
 * views flatten it like any object: `<x>_key` and `<x>_value` are `CAST(json_extract(event_data, '$["<x>"]["key"]')
 * AS varchar)`, the labels literally named "key" and "value" (NULL for nearly every event). Kept, with Teleport's
 * meaning, so queries written against Teleport's views run unchanged and give the same rows.
 */
export const labels = (path: PathSpec, description?: string): FieldDefinition[] => {
  const name = at(path).join('_');
  const teleportColumn = (key: 'key' | 'value'): FieldDefinition =>
    varchar(
      [...at(path), key],
      `Teleport's ${name}_${key} column: the value of the label named "${key}" (Teleport's views read the labels map as an object {key, value}, so this is NULL unless a label is literally named ${key}); read any label with ${name}['<label>']`,
    );
  return [{ path: at(path), type: 'map(varchar,varchar)', description }, teleportColumn('key'), teleportColumn('value')];
};
/** Timestamps inside events stay varchar, as in Teleport's views; read them with from_iso8601_timestamp. */
export const timestamp = (path: PathSpec, description?: string): FieldDefinition => ({
  path: at(path),
  type: 'varchar',
  description: description ? `${description} (RFC 3339 text)` : 'RFC 3339 text',
});
/** A google.protobuf.Struct (any JSON object): kept as JSON text, see FieldDefinition.json. */
export const json = (path: PathSpec, description?: string): FieldDefinition => ({ path: at(path), type: 'varchar', description: description ? `${description} (JSON text)` : 'JSON text', json: true });
/** A list of objects: array(row(...)). */
export const rows = (path: PathSpec, row: Extract<ColumnType, { row: unknown }>['row'], description?: string): FieldDefinition => ({
  path: at(path),
  type: { row, array: true },
  description,
});

/** Prefixes every field of a nested object with its parent key (`identity` → `identity.expires`). */
export const nested = (parent: string, fields: FieldDefinition[]): FieldDefinition[] => fields.map((f) => ({ ...f, path: [parent, ...f.path] }));

/** Concatenates field groups; a column already defined by an earlier group is kept, not repeated. */
export function fieldsOf(...groups: FieldDefinition[][]): FieldDefinition[] {
  const seen = new Set<string>();
  const out: FieldDefinition[] = [];
  for (const f of groups.flat()) {
    const key = f.path.join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}
