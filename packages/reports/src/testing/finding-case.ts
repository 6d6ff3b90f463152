import type { AuditEvent } from '@access-monitor/audit-log';

/** A hand-built fixture for one finding query and the rows its chart and detail queries must return. */
export interface FindingCase {
  id: string;
  events: AuditEvent[];
  /** `event_date, count, <series…>` rows, as DuckDB's JSON rows (dates and BIGINTs as text). */
  chart: unknown[][];
  /** Detail rows in detail-column order. */
  detail: unknown[][];
}

/** Every fixture lies inside this 7-day window; events dated after it must not count. */
export const FIXTURE_WINDOW = { start: '2024-05-01', end: '2024-05-07' };
