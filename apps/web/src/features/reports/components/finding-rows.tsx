import { useEffect, useMemo, useState } from 'react';
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
import { FINDING_ROWS_PAGE_SIZE, runAllRowsOptions, runRowsOptions } from '../api';
import { isViewActive, nextSort, viewRowIndexes } from '../finding-table-view';
import { drillDownPath, rowEventTime, type DrillWindow } from '../report-view';
import { entityOfRow } from '../triage-view';
import { useRowView } from '../use-row-view';
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
  // Sorted or filtered, the table reads the finding's rows at once and pages them here; otherwise the server pages.
  const { view, setView } = useRowView();
  const viewing = isViewActive(view);
  const paged = useQuery({ ...runRowsOptions(runId, queryId, offset), placeholderData: keepPreviousData, enabled: !viewing });
  const all = useQuery({ ...runAllRowsOptions(runId, queryId), placeholderData: keepPreviousData, enabled: viewing });
  const rows = viewing ? all : paged;
  const [triaging, setTriaging] = useState<TriageIntent | null>(null);
  const data = rows.data;
  const matching = useMemo(() => (data && viewing ? viewRowIndexes(data.columns, data.rows, view) : undefined), [data, viewing, view]);
  // Indexes into `data.rows` of the rows on this page.
  const onPage = matching ? matching.slice(offset, offset + FINDING_ROWS_PAGE_SIZE) : (data?.rows.map((_, i) => i) ?? []);
  const total = matching ? matching.length : (data?.totalRows ?? rowCount);
  const shown = data && !rows.isPlaceholderData ? onPage.length : 0;
  const entityColumns = data?.entityColumns;
  const triage = data?.triage;
  const entityAt = (r: number) => (data && entityColumns ? entityOfRow(data.columns, data.rows[onPage[r]!]!, entityColumns) : undefined);
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
          rows={onPage.map((i) => rows.data.rows[i]!)}
          caption={`Rows of ${title}`}
          testId="finding-table"
          renderCell={(value, column, r) => <CellValue value={value} column={column} window={window} at={rowEventTime(rows.data.columns, rows.data.rows[onPage[r]!]!)} />}
          rowClassName={(r) => (triage?.[onPage[r]!] ? 'data-table__row--triaged' : undefined)}
          header={(column) => ({
            content: (
              <button type="button" className="data-table__sort" onClick={() => setView({ ...view, sort: nextSort(view, column.name) })} data-testid={`sort-${column.name}`}>
                {column.name}
                <span aria-hidden="true">{view.sort?.column === column.name ? (view.sort.descending ? ' ▼' : ' ▲') : ''}</span>
              </button>
            ),
            ...(view.sort?.column === column.name ? { sort: view.sort.descending ? ('descending' as const) : ('ascending' as const) } : {}),
          })}
          filterRow={(column) => (
            <ColumnFilter
              column={column.name}
              value={view.filters[column.name] ?? ''}
              onChange={(text) => {
                const { [column.name]: _old, ...others } = view.filters;
                setView({ ...view, filters: text === '' ? others : { ...others, [column.name]: text } });
              }}
            />
          )}
          leadingColumn={
            showTriage
              ? {
                  header: 'Triage',
                  render: (r) => {
                    const entity = entityAt(r);
                    return entity ? (
                      <TriageCell record={triage?.[onPage[r]!] ?? null} entity={entity} canTriage={canTriage} onTriage={(status) => setTriaging({ status, entity })} />
                    ) : null;
                  },
                }
              : undefined
          }
        />
      )}
      {matching && data && data.totalRows > data.rows.length ? (
        <p className="muted" data-testid="finding-rows-view-limit">
          Sorted and filtered within the first {formatCount(data.rows.length)} of {formatCount(data.totalRows)} rows; download the CSV for all of them.
        </p>
      ) : null}
      {triaging ? <TriageDialog report={report} findingId={queryId} findingTitle={title} {...triaging} onClose={() => setTriaging(null)} /> : null}
      <nav className="pager" aria-label={`Pages of ${title}`}>
        <span className="pager__range" data-testid="finding-rows-range">
          {shown > 0
            ? `Rows ${formatCount(offset + 1)}–${formatCount(offset + shown)} of ${formatCount(total)}${Object.keys(view.filters).length > 0 ? ' matching' : ''}`
            : matching && data
              ? 'No rows match the filters.'
              : `Page ${page}`}
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

/** A column's filter: its cells must contain the text; written to the URL once typing pauses. */
function ColumnFilter({ column, value, onChange }: { column: string; value: string; onChange: (text: string) => void }) {
  const [typed, setTyped] = useState(value);
  const [shownValue, setShownValue] = useState(value);
  if (shownValue !== value) {
    // Changed from outside (back/forward, another table opened): show it.
    setShownValue(value);
    setTyped(value);
  }
  useEffect(() => {
    if (typed === value) return;
    const timer = setTimeout(() => onChange(typed), 300);
    return () => clearTimeout(timer);
  }, [typed, value, onChange]);
  return (
    <input
      type="search"
      className="input data-table__filter"
      aria-label={`Filter ${column}`}
      placeholder="Filter"
      value={typed}
      onChange={(e) => setTyped(e.target.value)}
      data-testid={`filter-${column}`}
    />
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
