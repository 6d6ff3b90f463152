/** How urgent a finding is, lowest first. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * How a finding is drawn, as Teleport's UI draws it: one stacked bar per day, one segment per
 * `series` value (a user, or a node for join tokens), sized by `count`.
 */
export interface FindingChart {
  type: 'stacked-bar';
  x: 'event_date';
  y: 'count';
  /** Output column of chartSql naming the segment: 'user' for most findings. */
  series: string;
}

/** A tunable value a query was built with (privileged roles, a threshold), shown beside its findings. */
export interface QueryParameter {
  name: string;
  title: string;
  value: readonly string[] | number;
}

export interface AuditQueryDefinition {
  /** Stable id; for Teleport's built-in report, Teleport's own audit query name. */
  id: string;
  title: string;
  /** What the query finds. */
  description: string;
  severity: Severity;
  /** What to change in Teleport so the finding stops: the setting, role option or command. */
  recommendation: string;
  chart: FindingChart;
  /**
   * Athena-dialect SQL over the event views returning `event_date, count, <series>` per day and
   * series value, as Teleport's audit queries do. A single SELECT (no top-level WITH), so it runs
   * unchanged where Teleport prepends its view CTEs.
   */
  chartSql: string;
  /**
   * One row per finding (an offending event, or an aggregate such as a burst), starting with
   * `event_time`; the sum of chartSql's counts equals its row count. Null for queries imported from
   * Teleport, which carry only the chart query.
   */
  detailSql: string | null;
  /** Detail columns that identify who or what a finding is about, to compare two periods. */
  entityColumns: readonly string[];
  parameters?: readonly QueryParameter[];
  /** How to read the comparison with the previous period; default `condition`. */
  kind?: FindingKind;
}

/**
 * `condition`: a practice that persists until someone fixes it (sessions without MFA, long-lived certificates),
 * so an entity gone since the previous period is "resolved". `event`: one-off actions (lock removals, role
 * changes) that are not expected to recur, so an entity absent now is only "not seen this period".
 */
export type FindingKind = 'condition' | 'event';

export interface SecurityReport {
  name: string;
  title: string;
  description: string;
  version: string;
  queries: readonly AuditQueryDefinition[];
  /** Built-in reports cannot be modified or deleted. */
  readOnly: boolean;
}

/** Teleport's chart for a finding: a stacked bar per day, one segment per user. */
export const USER_STACKED_BARS: FindingChart = { type: 'stacked-bar', x: 'event_date', y: 'count', series: 'user' };
