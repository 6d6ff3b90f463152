import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Cell, ColumnInfo } from '@access-monitor/contracts';
import { allows, PERMISSIONS } from '@access-monitor/rbac';
import { api } from '../../../api/endpoints';
import { ApiProblem } from '../../../components/api-problem';
import { DataTable, TableCellValue } from '../../../components/data-table';
import { formatCount } from '../../../components/number-format';
import { PlayInTeleportLink } from '../../../components/play-in-teleport-link';
import { Skeleton } from '../../../components/skeleton';
import { SESSION_ID_COLUMNS } from '../../../lib/session-player';
import { useAccess } from '../../../lib/session/use-me';
import { FINDING_ROWS_PAGE_SIZE, runRowsOptions } from '../api';
import { drillDownPath, rowEventTime, type DrillWindow } from '../report-view';
import { entityOfRow } from '../triage-view';
import { TriageCell } from './triage-controls';
import { TriageDialog, type TriageIntent } from './triage-dialog';

interface FindingRowsProps {
  runId: string;
  /** The report the run is of: triage is kept per report and finding. */
  report: string;
  queryId: string;
  title: string;
  rowCount: number;
  /** 1-based, from the URL. */
  page: number;
  onPageChange: (page: number) => void;
  window: DrillWindow;
  /** Whether the user may triage (update on security_report): shows the controls; the server judges again. */
  canTriage: boolean;
}

/**
 * A finding's detail rows, one server page at a time, each leading to its user's and session's timeline;
 * triaged rows are dimmed with their status, and those who may triage get controls per row.
 */
export function FindingRows({ runId, report, queryId, title, rowCount, page, onPageChange, window, canTriage }: FindingRowsProps) {
  const offset = (page - 1) * FINDING_ROWS_PAGE_SIZE;
  const rows = useQuery({ ...runRowsOptions(runId, queryId, offset), placeholderData: keepPreviousData });
  const total = rows.data?.totalRows ?? rowCount;
  const shown = rows.data && !rows.isPlaceholderData ? rows.data.rows.length : 0;
  const [triaging, setTriaging] = useState<TriageIntent | null>(null);
  const data = rows.data;
  const entityColumns = data?.entityColumns;
  const triage = data?.triage;
  const entityAt = (r: number) => (data && entityColumns ? entityOfRow(data.columns, data.rows[r]!, entityColumns) : undefined);
  const showTriage = entityColumns !== undefined && (canTriage || (triage ?? []).some((t) => t !== null));

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
          renderCell={(value, column, r) => <CellValue value={value} column={column} window={window} at={rowEventTime(rows.data.columns, rows.data.rows[r]!)} />}
          rowClassName={(r) => (triage?.[r] ? 'data-table__row--triaged' : undefined)}
          leadingColumn={
            showTriage
              ? {
                  header: 'Triage',
                  render: (r) => {
                    const entity = entityAt(r);
                    return entity ? (
                      <TriageCell record={triage?.[r] ?? null} entity={entity} canTriage={canTriage} onTriage={(status) => setTriaging({ status, entity })} />
                    ) : null;
                  },
                }
              : undefined
          }
        />
      )}
      {triaging ? <TriageDialog report={report} findingId={queryId} findingTitle={title} {...triaging} onClose={() => setTriaging(null)} /> : null}
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

function CellValue({ value, column, window, at }: { value: Cell; column: ColumnInfo; window: DrillWindow; at: string | undefined }) {
  const shown = <DrillValue value={value} column={column} window={window} at={at} />;
  // Teleport judges access to the recording itself; the link only needs a configured player.
  if (!SESSION_ID_COLUMNS.includes(column.name)) return shown;
  return (
    <span className="session-cell">
      {shown}
      <PlayInTeleportLink sid={value} />
    </span>
  );
}

function DrillValue({ value, column, window, at }: { value: Cell; column: ColumnInfo; window: DrillWindow; at: string | undefined }) {
  // A timeline is raw audit events: it needs use on audit_query as well (the server judges again).
  const canDrill = allows(useAccess(), PERMISSIONS.runQuery);
  const drill = canDrill ? drillDownPath(column.name, value, window, at) : undefined;
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
