import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Cell, ColumnInfo } from '@access-monitor/contracts';
import { api } from '../../../api/endpoints';
import { isNumericType } from '../../../components/data-table';
import { formatCount } from '../../../components/number-format';
import { Skeleton } from '../../../components/skeleton';
import { Timestamp } from '../../../components/timestamp';
import { ApiProblem } from '../../session/components/api-problem';
import { FINDING_ROWS_PAGE_SIZE, runRowsOptions } from '../api';
import { drillDownPath, type DrillWindow } from '../report-view';

interface FindingRowsProps {
  runId: string;
  queryId: string;
  title: string;
  rowCount: number;
  /** 1-based, from the URL. */
  page: number;
  onPageChange: (page: number) => void;
  window: DrillWindow;
}

/** A finding's detail rows, one server page at a time, each leading to its user's and session's timeline. */
export function FindingRows({ runId, queryId, title, rowCount, page, onPageChange, window }: FindingRowsProps) {
  const offset = (page - 1) * FINDING_ROWS_PAGE_SIZE;
  const rows = useQuery({ ...runRowsOptions(runId, queryId, offset), placeholderData: keepPreviousData });
  const total = rows.data?.totalRows ?? rowCount;
  const shown = rows.data && !rows.isPlaceholderData ? rows.data.rows.length : 0;

  return (
    <div className="finding-rows" aria-busy={rows.isFetching} data-testid="finding-rows">
      {rows.isPending ? (
        <Skeleton label={`Loading the rows of ${title}…`} height={120} />
      ) : rows.isError ? (
        <ApiProblem error={rows.error} testId="finding-rows-problem" />
      ) : rows.data.rows.length === 0 ? (
        <p className="empty-state">{page > 1 ? 'No rows on this page.' : 'No rows.'}</p>
      ) : (
        <FindingTable columns={rows.data.columns} rows={rows.data.rows} caption={`Rows of ${title}`} window={window} />
      )}
      <nav className="pager" aria-label={`Pages of ${title}`}>
        <span className="pager__range" data-testid="finding-rows-range">
          {shown > 0 ? `Rows ${formatCount(offset + 1)}–${formatCount(offset + shown)} of ${formatCount(total)}` : `Page ${page}`}
        </span>
        {total > FINDING_ROWS_PAGE_SIZE ? (
          <>
            <button type="button" className="btn btn--secondary" disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
              Previous
            </button>
            <button type="button" className="btn btn--secondary" disabled={offset + FINDING_ROWS_PAGE_SIZE >= total} onClick={() => onPageChange(page + 1)}>
              Next
            </button>
          </>
        ) : null}
        <a className="btn btn--secondary" href={api.runRowsCsvUrl(runId, queryId)} download data-testid="finding-csv">
          Download CSV<span className="sr-only"> of {title}</span>
        </a>
      </nav>
    </div>
  );
}

const TIMESTAMP_TYPE = /^timestamp/i;

function FindingTable({ columns, rows, caption, window }: { columns: readonly ColumnInfo[]; rows: readonly (readonly Cell[])[]; caption: string; window: DrillWindow }) {
  return (
    <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table className="data-table" data-testid="finding-table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={`${i}:${c.name}`} scope="col" className={isNumericType(c.type) ? 'num' : undefined} title={c.type}>
                {c.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {columns.map((c, i) => (
                <td key={i} className={isNumericType(c.type) || typeof row[i] === 'number' ? 'num' : undefined}>
                  <CellValue value={row[i] ?? null} column={c} window={window} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CellValue({ value, column, window }: { value: Cell; column: ColumnInfo; window: DrillWindow }) {
  if (value === null) return <span className="null">NULL</span>;
  const drill = drillDownPath(column.name, value, window);
  if (drill !== undefined) {
    const isUser = column.name === 'user';
    return (
      <Link
        to={drill}
        title={isUser ? `Timeline of user ${String(value)}` : `Timeline of session ${String(value)}`}
        className={isUser ? undefined : 'mono'}
        data-testid={isUser ? 'drill-user' : 'drill-session'}
      >
        {String(value)}
      </Link>
    );
  }
  if (typeof value === 'string' && TIMESTAMP_TYPE.test(column.type)) return <Timestamp value={value} />;
  return <>{String(value)}</>;
}
