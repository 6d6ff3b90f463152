import type { DateWindow } from '@access-monitor/contracts';
import { AUDIT_EVENTS, duckdbViewSelect, type SqlDialect } from '@access-monitor/sql';

/** The fake engine's source: one DuckDB table holding every event in Teleport's columns (no files, no folders to prune). */
export interface FakeTableSource {
  table: string;
}

// Dates are checked by the renderer before a dialect sees them.
const inWindow = (w: DateWindow): string => `CAST(event_time AS DATE) BETWEEN DATE '${w.start}' AND DATE '${w.end}'`;

/**
 * A dialect of the fake engine's own, living in its folder: the views as DuckDB SQL over one table rather than
 * over the window's Parquet files. It shows that an engine speaking a new dialect brings it along, and the
 * renderer (`renderWith`) and the core take it as it is.
 */
export const FAKE_TABLE_DIALECT: SqlDialect<FakeTableSource> = {
  name: 'duckdb-table',
  guard: 'duckdb',
  auditEvents: (window, { table }) =>
    `${AUDIT_EVENTS} AS NOT MATERIALIZED (SELECT uid, session_id, event_type, CAST(event_time AS TIMESTAMP) AS event_time, event_data, "user", CAST(event_time AS DATE) AS event_date FROM ${table} WHERE ${inWindow(window)})`,
  view: (view, window, { table }) => `${view.name} AS NOT MATERIALIZED (${duckdbViewSelect(view, table)} AND ${inWindow(window)})`,
};
