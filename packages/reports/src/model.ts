import type { FindingChart } from '@access-monitor/contracts';

// The report model (security report → audit query → finding) is declared once, as zod schemas in contracts;
// this package holds the built-in reports as data of those types.
export { SEVERITIES } from '@access-monitor/contracts';
export type { AuditQueryDefinition, FindingChart, FindingKind, QueryParameter, SecurityReport, Severity } from '@access-monitor/contracts';

/** Teleport's chart for a finding: a stacked bar per day, one segment per user. */
export const USER_STACKED_BARS: FindingChart = { type: 'stacked-bar', x: 'event_date', y: 'count', series: 'user' };
