import { useCallback } from 'react';
import type { ChartSpec, Execution } from '@access-monitor/contracts';
import { api } from '../../../api/endpoints';
import { DataGrid } from '../../../components/data-grid/data-grid';
import { formatCount } from '../../../components/number-format';
import { Timestamp } from '../../../components/timestamp';
import { ChartPanel } from '../chart/chart-panel';
import { suggestChart } from '../chart/chart-data';

interface ResultsPanelProps {
  execution: Execution;
  /** The chart shown above the rows (from the address or the saved query); null: none. */
  chart: ChartSpec | null;
  onChartChange: (chart: ChartSpec | null) => void;
}

/** Rows of a succeeded execution in a virtualized grid paging from the server, a chart of them, and the CSV of all. */
export function ResultsPanel({ execution, chart, onChartChange }: ResultsPanelProps) {
  const columns = execution.columns ?? [];
  const total = execution.rowCount ?? 0;
  const fetchPage = useCallback((offset: number, limit: number, signal: AbortSignal) => api.executionResults(execution.id, offset, limit, signal), [execution.id]);
  const suggested = suggestChart(columns);

  return (
    <section className="card results" aria-labelledby="results-heading">
      <header className="results__header">
        <h2 id="results-heading" className="results__title">
          Results
        </h2>
        <span className="results__count" data-testid="row-count">
          {`${formatCount(total)} ${total === 1 ? 'row' : 'rows'}`}
          {execution.resultExpiresAt ? (
            <span className="results__expiry">
              {' '}
              · kept until <Timestamp value={execution.resultExpiresAt} />
            </span>
          ) : null}
        </span>
        {!chart && suggested ? (
          <button type="button" className="btn btn--secondary" data-testid="show-chart" onClick={() => onChartChange(suggested)}>
            Chart
          </button>
        ) : null}
        <a className="btn btn--secondary" href={api.executionCsvUrl(execution.id)} download data-testid="download-csv">
          Download CSV
        </a>
      </header>
      {chart ? <ChartPanel execution={execution} columns={columns} spec={chart} onChange={onChartChange} /> : null}
      {columns.length === 0 ? (
        <p className="empty-state">The statement returned no columns.</p>
      ) : (
        <>
          <DataGrid columns={columns} totalRows={total} fetchPage={fetchPage} resultKey={execution.id} label="Query results" testId="results-table" />
          {total === 0 ? <p className="empty-state">The query returned no rows.</p> : null}
        </>
      )}
    </section>
  );
}
