import type { Cell, ColumnInfo } from '@access-monitor/contracts';
import { isNumericType } from '../../components/data-table';

/** How a finding's rows are shown: sorted by one column, filtered by text per column. Kept in the URL. */
export interface RowView {
  sort?: { column: string; descending: boolean };
  /** Column → text its cells must contain (case-insensitive; NULL matches "null"). */
  filters: Readonly<Record<string, string>>;
}

/** `?sort=user` (ascending) or `?sort=-event_time` (descending); `?filter=user:alice` once per filtered column. */
export function parseRowView(params: URLSearchParams): RowView {
  const sort = params.get('sort');
  const filters: Record<string, string> = {};
  for (const f of params.getAll('filter')) {
    const at = f.indexOf(':');
    if (at > 0 && f.slice(at + 1) !== '') filters[f.slice(0, at)] = f.slice(at + 1);
  }
  return {
    ...(sort && sort !== '-' ? { sort: sort.startsWith('-') ? { column: sort.slice(1), descending: true } : { column: sort, descending: false } } : {}),
    filters,
  };
}

/** Writes a view as parseRowView reads it (an empty view leaves no trace). */
export function writeRowView(params: URLSearchParams, view: RowView): void {
  params.delete('sort');
  params.delete('filter');
  if (view.sort) params.set('sort', `${view.sort.descending ? '-' : ''}${view.sort.column}`);
  for (const [column, text] of Object.entries(view.filters)) if (text !== '') params.append('filter', `${column}:${text}`);
}

export const isViewActive = (view: RowView): boolean => view.sort !== undefined || Object.keys(view.filters).length > 0;

/** Header click: ascending, then descending, then unsorted. */
export function nextSort(view: RowView, column: string): RowView['sort'] {
  if (view.sort?.column !== column) return { column, descending: false };
  return view.sort.descending ? undefined : { column, descending: true };
}

const text = (v: Cell): string => (v === null ? 'null' : String(v)).toLowerCase();

/**
 * Indexes of the rows the view shows, in its order: rows whose cells contain every filter's text, sorted by the
 * sort column (numbers as numbers, anything else as text; NULL last either way; ties keep the stored order).
 */
export function viewRowIndexes(columns: readonly ColumnInfo[], rows: readonly (readonly Cell[])[], view: RowView): number[] {
  const filters = Object.entries(view.filters)
    .map(([column, needle]) => ({ index: columns.findIndex((c) => c.name === column), needle: needle.toLowerCase() }))
    .filter((f) => f.index >= 0);
  const kept = rows.map((_, i) => i).filter((i) => filters.every((f) => text(rows[i]![f.index] ?? null).includes(f.needle)));
  const si = view.sort ? columns.findIndex((c) => c.name === view.sort!.column) : -1;
  if (si < 0) return kept;
  const numeric = isNumericType(columns[si]!.type);
  const sign = view.sort!.descending ? -1 : 1;
  const compare = (a: Cell, b: Cell): number => {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    if (numeric || (typeof a === 'number' && typeof b === 'number')) return sign * (Number(a) - Number(b));
    return sign * String(a).localeCompare(String(b));
  };
  return kept.sort((x, y) => compare(rows[x]![si] ?? null, rows[y]![si] ?? null) || x - y);
}
