import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Cell, ColumnInfo } from '@access-monitor/contracts';
import { api } from '../../../api/endpoints';
import { DataTable, TableCellValue } from '../../../components/data-table';
import { formatCount } from '../../../components/number-format';
import { Skeleton } from '../../../components/skeleton';
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
        <DataTable
          columns={rows.data.columns}
          rows={rows.data.rows}
          caption={`Rows of ${title}`}
          testId="finding-table"
          renderCell={(value, column) => <CellValue value={value} column={column} window={window} />}
        />
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

function CellValue({ value, column, window }: { value: Cell; column: ColumnInfo; window: DrillWindow }) {
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
  return <TableCellValue value={value} type={column.type} />;
}
