import { describe, expect, it } from 'vitest';
import type { Cell, ColumnInfo } from '@access-monitor/contracts';
import { isViewActive, nextSort, parseRowView, viewRowIndexes, writeRowView } from './finding-table-view';

const columns: ColumnInfo[] = [
  { name: 'user', type: 'varchar' },
  { name: 'sessions', type: 'bigint' },
];
const rows: Cell[][] = [
  ['bob', 5],
  ['alice', 12],
  [null, 3],
  ['Carol', 12],
];

describe('finding table view', () => {
  it('sorts numbers as numbers and text as text, NULL last, ties in stored order', () => {
    expect(viewRowIndexes(columns, rows, { sort: { column: 'sessions', descending: true }, filters: {} })).toEqual([1, 3, 0, 2]);
    expect(viewRowIndexes(columns, rows, { sort: { column: 'sessions', descending: false }, filters: {} })).toEqual([2, 0, 1, 3]);
    expect(viewRowIndexes(columns, rows, { sort: { column: 'user', descending: false }, filters: {} })).toEqual([1, 0, 3, 2]);
  });

  it('keeps only rows whose column contains the filter text, ignoring case', () => {
    expect(viewRowIndexes(columns, rows, { filters: { user: 'CAR' } })).toEqual([3]);
    expect(viewRowIndexes(columns, rows, { filters: { sessions: '12', user: 'a' } })).toEqual([1, 3]);
    expect(viewRowIndexes(columns, rows, { filters: { user: 'null' } })).toEqual([2]);
  });

  it('round-trips through the URL and cycles a header from ascending to descending to unsorted', () => {
    const params = new URLSearchParams('rows=q1');
    writeRowView(params, { sort: { column: 'event_time', descending: true }, filters: { user: 'al:ice' } });
    expect(params.toString()).toBe('rows=q1&sort=-event_time&filter=user%3Aal%3Aice');
    expect(parseRowView(params)).toEqual({ sort: { column: 'event_time', descending: true }, filters: { user: 'al:ice' } });
    expect(isViewActive(parseRowView(new URLSearchParams('rows=q1')))).toBe(false);

    const view = { filters: {} };
    expect(nextSort(view, 'user')).toEqual({ column: 'user', descending: false });
    expect(nextSort({ ...view, sort: { column: 'user', descending: false } }, 'user')).toEqual({ column: 'user', descending: true });
    expect(nextSort({ ...view, sort: { column: 'user', descending: true } }, 'user')).toBeUndefined();
  });
});
