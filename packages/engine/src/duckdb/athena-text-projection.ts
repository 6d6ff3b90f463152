import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { sqlString } from '@access-monitor/sql';

const TIMESTAMP_FORMAT = `'%Y-%m-%d %H:%M:%S.%g'`;


/**
 * A SQL expression (over `expr`, of DuckDB type `type`) giving the text Athena prints for the value
 * in its CSV results, or NULL for NULL. DuckDB's own CSV text is kept where it equals Athena's
 * (numbers, booleans, dates, decimals, strings); timestamps always carry milliseconds
 * (`2024-01-02 03:04:05.000`); arrays print as `[a, b]`, maps as `{k=v}`, rows as `{name=v, …}`,
 * with `null` for NULL elements, as Trino formats them.
 *
 * Built from the result's column types (never from the user's SQL text).
 */
export function athenaTextExpression(expr: string, type: DuckDBType, depth = 0): string {
  switch (type.typeId) {
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return `strftime(${expr}, ${TIMESTAMP_FORMAT})`;
    case DuckDBTypeId.TIMESTAMP_TZ:
      // TimeZone is UTC for the whole instance, so %Z prints UTC, as Athena does.
      return `strftime(${expr}, '%Y-%m-%d %H:%M:%S.%g %Z')`;
    case DuckDBTypeId.TIME:
      return `strftime(DATE '1970-01-01' + ${expr}, '%H:%M:%S.%g')`;
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const e = `am_e${depth}`;
      const items = `list_transform(${expr}, lambda ${e}: coalesce(${athenaTextExpression(e, type.valueType, depth + 1)}, 'null'))`;
      return `CASE WHEN ${expr} IS NULL THEN NULL ELSE '[' || array_to_string(${items}, ', ') || ']' END`;
    }
    case DuckDBTypeId.MAP: {
      const e = `am_e${depth}`;
      const key = `coalesce(${athenaTextExpression(`${e}.key`, type.keyType, depth + 1)}, 'null')`;
      const value = `coalesce(${athenaTextExpression(`${e}.value`, type.valueType, depth + 1)}, 'null')`;
      const entries = `list_transform(map_entries(${expr}), lambda ${e}: ${key} || '=' || ${value})`;
      return `CASE WHEN ${expr} IS NULL THEN NULL ELSE '{' || array_to_string(${entries}, ', ') || '}' END`;
    }
    case DuckDBTypeId.STRUCT: {
      const fields = type.entryNames.map((name, i) => {
        const value = `coalesce(${athenaTextExpression(`struct_extract_at(${expr}, ${i + 1})`, type.entryTypes[i]!, depth + 1)}, 'null')`;
        return name === '' ? value : `${sqlString(`${name}=`)} || ${value}`;
      });
      const body = fields.length === 0 ? `''` : fields.join(` || ', ' || `);
      return `CASE WHEN ${expr} IS NULL THEN NULL ELSE '{' || ${body} || '}' END`;
    }
    default:
      // Scalars: at the top level COPY prints them itself; inside a collection they need to be text.
      return depth === 0 ? expr : `CAST(${expr} AS VARCHAR)`;
  }
}

/** Whether athenaTextExpression changes anything for this type (false: COPY's own text is Athena's). */
export function needsAthenaText(type: DuckDBType): boolean {
  return athenaTextExpression('x', type) !== 'x';
}
