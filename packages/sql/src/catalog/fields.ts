import type { ColumnType, FieldDefinition } from '../types';

/** A JSON key (`'addr.remote'`) or a path of keys (`['identity', 'expires']`). */
type PathSpec = string | string[];

const at = (path: PathSpec): string[] => (typeof path === 'string' ? [path] : path);

export const varchar = (path: PathSpec, description?: string): FieldDefinition => ({ path: at(path), type: 'varchar', description });
export const integer = (path: PathSpec, description?: string): FieldDefinition => ({ path: at(path), type: 'integer', description });
/** int64/uint64/uint32 in the proto: counters, pids, cgroup ids; Trino's integer would overflow. */
export const bigint = (path: PathSpec, description?: string): FieldDefinition => ({ path: at(path), type: 'bigint', description });
export const boolean = (path: PathSpec, description?: string): FieldDefinition => ({ path: at(path), type: 'boolean', description });
export const strings = (path: PathSpec, description?: string): FieldDefinition => ({ path: at(path), type: 'array(varchar)', description });
/** map<string,string> in the proto (labels): always string values, so Trino's map cast cannot fail. */
export const labels = (path: PathSpec, description?: string): FieldDefinition => ({ path: at(path), type: 'map(varchar,varchar)', description });
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
