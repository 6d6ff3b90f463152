import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Execution } from '@access-monitor/contracts';
import { api } from '../../../api/endpoints';
import { DataTable } from '../../../components/data-table';
import { formatCount } from '../../../components/number-format';
import { Skeleton } from '../../../components/skeleton';
import { ApiProblem } from '../../session/components/api-problem';
import { executionResultsOptions, RESULTS_PAGE_SIZE } from '../api';

interface ResultsPanelProps {
  execution: Execution;
  /** 1-based, from the URL. */
  page: number;
  onPageChange: (page: number) => void;
}

/** Rows of a succeeded execution, one page at a time, with the CSV of all of them. */
export function ResultsPanel({ execution, page, onPageChange }: ResultsPanelProps) {
  const offset = (page - 1) * RESULTS_PAGE_SIZE;
  const results = useQuery({ ...executionResultsOptions(execution.id, offset), placeholderData: keepPreviousData });
  const total = results.data?.totalRows ?? execution.rowCount;
  const shown = results.data && !results.isPlaceholderData ? results.data.rows.length : 0;

  return (
    <section className="card results" aria-labelledby="results-heading" aria-busy={results.isFetching}>
      <header className="results__header">
        <h2 id="results-heading" className="results__title">
          Results
        </h2>
        <span className="results__count" data-testid="row-count">
          {total === undefined ? '…' : `${formatCount(total)} ${total === 1 ? 'row' : 'rows'}`}
        </span>
        <a className="btn btn--secondary" href={api.executionCsvUrl(execution.id)} download>
          Download CSV
        </a>
      </header>
      {results.isPending ? (
        <Skeleton label="Loading results…" />
      ) : results.isError ? (
        <ApiProblem error={results.error} testId="results-problem" />
      ) : results.data.columns.length === 0 ? (
        <p className="empty-state">The statement returned no columns.</p>
      ) : (
        <>
          <DataTable columns={results.data.columns} rows={results.data.rows} caption="Query results" testId="results-table" />
          {results.data.rows.length === 0 ? <p className="empty-state">{page > 1 ? 'No rows on this page.' : 'The query returned no rows.'}</p> : null}
        </>
      )}
      {total !== undefined && total > RESULTS_PAGE_SIZE ? (
        <nav className="pager" aria-label="Result pages">
          <button type="button" className="btn btn--secondary" disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
            Previous
          </button>
          <span className="pager__range">
            {shown > 0 ? `Rows ${formatCount(offset + 1)}–${formatCount(offset + shown)} of ${formatCount(total)}` : `Page ${page}`}
          </span>
          <button type="button" className="btn btn--secondary" disabled={offset + RESULTS_PAGE_SIZE >= total} onClick={() => onPageChange(page + 1)}>
            Next
          </button>
        </nav>
      ) : null}
    </section>
  );
}
