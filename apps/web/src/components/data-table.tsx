import type { ReactNode } from 'react';
import type { Cell, ColumnInfo } from '@access-monitor/contracts';
import { Timestamp } from './timestamp';

// Trino and DuckDB numeric type names (`bigint`, `integer`, `double`, `decimal(10,2)`, `hugeint`, `ubigint`…).
const NUMERIC_TYPE = /^(u?(tiny|small|big|huge)?int(eger)?\d*|real|double|float\d*|decimal|numeric)\b/i;
const TIMESTAMP_TYPE = /^timestamp/i;

export const isNumericType = (type: string): boolean => NUMERIC_TYPE.test(type.trim());

interface DataTableProps {
  columns: readonly ColumnInfo[];
  rows: readonly (readonly Cell[])[];
  caption?: string;
  testId?: string;
  /** How a cell is drawn; TableCellValue unless given (e.g. findings link users to their timeline, at the row's event). */
  renderCell?: (value: Cell, column: ColumnInfo, rowIndex: number) => ReactNode;
  /** A first column that is not data, drawn per row (e.g. a finding row's triage status and controls). */
  leadingColumn?: { header: string; render: (rowIndex: number) => ReactNode };
  /** Extra class of a row (e.g. triaged finding rows are dimmed). */
  rowClassName?: (rowIndex: number) => string | undefined;
  /** A header drawn by the caller (a sort button), with its `aria-sort`; the column name unless given. */
  header?: (column: ColumnInfo) => { content: ReactNode; sort?: 'ascending' | 'descending' };
  /** A second header row, one cell per column (filter inputs). */
  filterRow?: (column: ColumnInfo) => ReactNode;
}

/** Query results: numbers right-aligned, NULL muted, timestamps in the viewer's zone with UTC on hover. */
export function DataTable({ columns, rows, caption, testId, renderCell, leadingColumn, rowClassName, header, filterRow }: DataTableProps) {
  return (
    <div className="table-scroll" role="region" aria-label={caption ?? 'Results'} tabIndex={0}>
      <table className="data-table" data-testid={testId}>
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead>
          <tr>
            {leadingColumn ? (
              <th scope="col" className="data-table__lead">
                {leadingColumn.header}
              </th>
            ) : null}
            {columns.map((c, i) => {
              const drawn = header?.(c);
              return (
                <th key={`${i}:${c.name}`} scope="col" className={isNumericType(c.type) ? 'num' : undefined} title={c.type} aria-sort={drawn?.sort}>
                  {drawn ? drawn.content : c.name}
                </th>
              );
            })}
          </tr>
          {filterRow ? (
            <tr className="data-table__filters">
              {leadingColumn ? <td className="data-table__lead" /> : null}
              {columns.map((c, i) => (
                <td key={`${i}:${c.name}`}>{filterRow(c)}</td>
              ))}
            </tr>
          ) : null}
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r} className={rowClassName?.(r)}>
              {leadingColumn ? <td className="data-table__lead">{leadingColumn.render(r)}</td> : null}
              {columns.map((c, i) => (
                <td key={i} className={isNumericType(c.type) || typeof row[i] === 'number' ? 'num' : undefined}>
                  {renderCell ? renderCell(row[i] ?? null, c, r) : <TableCellValue value={row[i] ?? null} type={c.type} />}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A cell: NULL muted, timestamps in the viewer's zone with UTC on hover, anything else as text. */
export function TableCellValue({ value, type }: { value: Cell; type: string }) {
  if (value === null) return <span className="null">NULL</span>;
  if (typeof value === 'string' && TIMESTAMP_TYPE.test(type)) return <Timestamp value={value} />;
  return <>{String(value)}</>;
}
