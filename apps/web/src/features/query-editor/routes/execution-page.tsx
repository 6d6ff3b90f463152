import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import type { ChartSpec } from '@access-monitor/contracts';
import { ApiProblem } from '../../../components/api-problem';
import { CopyLinkButton } from '../../../components/copy-link-button';
import { PageHeader } from '../../../components/page-header';
import { ProblemPanel } from '../../../components/problem-panel';
import { Skeleton } from '../../../components/skeleton';
import { parseChart, writeChart } from '../../../lib/chart-params';
import { paths } from '../../../lib/paths';
import { executionOptions } from '../api';
import { ExecutionStatus } from '../components/execution-status';
import { ResultsPanel } from '../components/results-panel';

/**
 * `/executions/:id?chart=…`: one execution's facts and rows, a result link anyone may open with their own
 * permissions (`use` on audit_query); once the result's retention passed, the rows answer 410 and the page says so.
 */
export function ExecutionPage() {
  const id = useParams().id ?? '';
  const [params, setParams] = useSearchParams();
  const execution = useQuery(executionOptions(id));
  const chart = parseChart(params) ?? null;
  const setChart = (next: ChartSpec | null) =>
    setParams(
      () => {
        const out = new URLSearchParams();
        if (next) writeChart(out, next);
        return out;
      },
      { replace: true },
    );

  const e = execution.data;
  return (
    <>
      <PageHeader
        title="Audit query result"
        subtitle={
          e ? (
            <span data-testid="execution-meta">
              {e.query ? (
                <>
                  Saved query <Link to={paths.savedQuery(e.query)}>{e.query}</Link>,{' '}
                </>
              ) : null}
              run by {e.user ?? 'the server'} · <code>{e.id}</code>
            </span>
          ) : (
            <code>{id}</code>
          )
        }
        actions={
          <>
            <CopyLinkButton />
            {e ? (
              <Link className="btn btn--secondary" to={paths.newQuery({ sql: e.sql, start: e.window.start, end: e.window.end, ...(chart ? { chart } : {}) })} data-testid="open-in-editor">
                Open in editor
              </Link>
            ) : null}
          </>
        }
      />
      <div className="page-body execution-page">
        {execution.isPending ? (
          <Skeleton label="Loading the execution…" />
        ) : execution.isError ? (
          <ApiProblem error={execution.error} testId="execution-problem" />
        ) : (
          <>
            <section className="card editor-card" aria-label="Execution">
              <pre className="code-block execution-page__sql" data-testid="execution-sql">
                <code>{execution.data.sql}</code>
              </pre>
              <ExecutionStatus execution={execution.data} fetchedAt={execution.dataUpdatedAt} />
            </section>
            {execution.data.state === 'FAILED' && execution.data.error ? <ProblemPanel problem={execution.data.error} /> : null}
            {execution.data.state === 'CANCELLED' ? <p className="notice">This query was cancelled before it finished.</p> : null}
            {execution.data.state === 'SUCCEEDED' ? <ResultsPanel execution={execution.data} chart={chart} onChartChange={setChart} /> : null}
            <p>
              <Link to={paths.executions()}>Your query history</Link>
            </p>
          </>
        )}
      </div>
    </>
  );
}
