// Renders a finding's chart and detail SQL from one description, so the two always select the same
// rows: the chart counts exactly the detail rows, per day and series value.
import { sqlString } from '@access-monitor/sql';

/**
 * Teleport's "weak security": no access request, no per-session MFA, no impersonator and no
 * trusted device. CARDINALITY(…) IS NULL is Teleport's spelling of "no access_requests field".
 */
export const WEAK_SECURITY: readonly string[] = [
  'CARDINALITY(access_requests) IS NULL',
  'with_mfa IS NULL',
  'impersonator IS NULL',
  'trusted_device_device_id IS NULL',
];

/**
 * An SSH `session.start` that Teleport's `proto = 'ssh'` misses: nodes before v7 wrote no `proto`,
 * and a start with neither proto nor Kubernetes cluster is SSH.
 */
export const SSH_SESSION_WITHOUT_PROTO = '(proto IS NULL AND kubernetes_cluster IS NULL)';

/**
 * The host part of a `host:port` address column (`addr_remote`): `[::1]:37718` → `::1`,
 * `10.0.0.1:5000` → `10.0.0.1`; a value with no port (one colon at most for IPv4, or a bare
 * IPv6 address) is kept whole. No regular expressions: split_part and LIKE mean the same in both engines.
 */
export function hostOf(column: string): string {
  return `CASE WHEN ${column} LIKE '[%' THEN split_part(substr(${column}, 2), ']', 1) WHEN length(${column}) - length(replace(${column}, ':', '')) = 1 THEN split_part(${column}, ':', 1) ELSE ${column} END`;
}

/** True when the array column holds any of the values. One contains() per value: arrays_overlap is not in DuckDB. */
export function containsAny(arrayColumn: string, values: readonly string[]): string {
  if (values.length === 0) throw new RangeError('containsAny needs at least one value');
  return `(${values.map((value) => `contains(${arrayColumn}, ${sqlString(value)})`).join(' OR ')})`;
}

/** An output column of a finding: `user`, or `user` computed as `identity_user`. */
export interface FindingColumn {
  name: string;
  /** The expression, when the view has no column of that name. */
  expr?: string;
}

export interface FindingShape {
  /** A view, or a derived table `(SELECT …) AS name` with `event_date` and `event_time` columns. */
  from: string;
  /** Conditions, all of which must hold. */
  where?: readonly string[];
  /** Columns the chart stacks by; `user` unless given. */
  series?: readonly FindingColumn[];
  /** The detail's select list after `event_time`. */
  detail: readonly string[];
}

const identifier = (name: string): string => (name === 'user' ? '"user"' : name);
const selected = (c: FindingColumn): string => (c.expr ? `${c.expr} AS ${identifier(c.name)}` : identifier(c.name));
// Trino groups by input columns, not output aliases: group and order by the expression.
const grouped = (c: FindingColumn): string => c.expr ?? identifier(c.name);

export function findingSql(shape: FindingShape): { chartSql: string; detailSql: string } {
  const series = shape.series ?? [{ name: 'user' }];
  const where = shape.where && shape.where.length > 0 ? `\nWHERE ${shape.where.join('\n  AND ')}` : '';
  const keys = series.map(grouped).join(', ');
  const chartSql = `SELECT event_date, count(*) AS count, ${series.map(selected).join(', ')}
FROM ${shape.from}${where}
GROUP BY event_date, ${keys}
ORDER BY event_date, ${keys}`;
  const detailSql = `SELECT event_time, ${shape.detail.join(', ')}
FROM ${shape.from}${where}
ORDER BY event_time, ${keys}`;
  return { chartSql, detailSql };
}
