import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { windowDays, type Execution } from '@access-monitor/contracts';
import { ApiProblem } from '../../../components/api-problem';
import { formatBytes, formatCount, formatDuration } from '../../../components/number-format';
import { PageHeader } from '../../../components/page-header';
import { Skeleton } from '../../../components/skeleton';
import { Timestamp } from '../../../components/timestamp';
import { paths } from '../../../lib/paths';
import { historyOptions } from '../api';
import { STATE_LABELS } from '../components/execution-status';
import { scannedBytesToShow } from '../scanned-bytes';

const SEARCH_DELAY_MS = 300;

/** `/executions?q=…`: the caller's audit queries, newest first, searchable; each reopens in the editor or shows its result. */
export function ExecutionHistoryPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [typed, setTyped] = useState(q);
  const history = useQuery({ ...historyOptions(q), placeholderData: keepPreviousData });

  // The search is in the address (a link reproduces it), written once typing pauses.
  useEffect(() => {
    if (typed === q) return;
    const timer = setTimeout(() => setParams(typed ? { q: typed } : {}, { replace: true }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed, q, setParams]);

  const executions = history.data?.executions ?? [];
  return (
    <>
      <PageHeader title="Query history" subtitle="The audit queries you ran, newest first. Results are kept for a limited time; the SQL always reopens in the editor." />
      <div className="page-body">
        <section className="card history" aria-label="Query history" aria-busy={history.isFetching}>
          <div className="history__search">
            <label htmlFor="history-search" className="field-label">
              Search
            </label>
            <input
              id="history-search"
              type="search"
              className="input"
              placeholder="SQL, saved query name or execution id"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              data-testid="history-search"
            />
          </div>
          {history.isPending ? (
            <Skeleton label="Loading your queries…" />
          ) : history.isError ? (
            <ApiProblem error={history.error} testId="history-problem" />
          ) : executions.length === 0 ? (
            <p className="empty-state">{q ? `None of your queries matches “${q}”.` : 'You have not run any audit query yet.'}</p>
          ) : (
            <div className="table-scroll" role="region" aria-label="Your queries" tabIndex={0}>
              <table className="data-table history__table" data-testid="history-table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">SQL</th>
                    <th scope="col">Window</th>
                    <th scope="col">State</th>
                    <th scope="col" className="num">
                      Rows
                    </th>
                    <th scope="col" className="num">
                      Scanned
                    </th>
                    <th scope="col" className="num">
                      Duration
                    </th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {executions.map((e) => (
                    <HistoryRow key={e.id} execution={e} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
    </>
  );
}

function HistoryRow({ execution: e }: { execution: Execution }) {
  const retained = e.state === 'SUCCEEDED' && (!e.resultExpiresAt || Date.parse(e.resultExpiresAt) > Date.now());
  const scanned = scannedBytesToShow(e);
  return (
    <tr data-testid="history-row">
      <td>
        <Timestamp value={e.submittedAt} />
      </td>
      <td className="history__sql">
        {e.query ? (
          <span className="history__saved">
            <Link to={paths.savedQuery(e.query)}>{e.query}</Link>{' '}
          </span>
        ) : null}
        <code title={e.sql}>{e.sql}</code>
      </td>
      <td>
        {e.window.start} – {e.window.end}
      </td>
      <td>
        <span className={`state-badge state-badge--${e.state.toLowerCase()}`}>{STATE_LABELS[e.state]}</span>
      </td>
      <td className="num">{e.rowCount !== undefined ? formatCount(e.rowCount) : '—'}</td>
      <td className="num">{scanned !== undefined ? formatBytes(scanned) : '—'}</td>
      <td className="num">{formatDuration(e.elapsedMs)}</td>
      <td className="history__actions-cell">
        <span className="history__actions">
          <Link to={paths.newQuery({ sql: e.sql, start: e.window.start, end: e.window.end })} data-testid="history-reopen">
            Open in editor<span className="sr-only"> ({windowDays(e.window)} days)</span>
          </Link>
          {retained ? (
            <Link to={paths.execution(e.id)} data-testid="history-result">
              Result
            </Link>
          ) : e.state === 'SUCCEEDED' ? (
            <span className="muted">result expired</span>
          ) : null}
        </span>
      </td>
    </tr>
  );
}
