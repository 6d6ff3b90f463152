import { Link, useParams, useSearchParams } from 'react-router';
import { REPORT_WINDOWS, type WindowDays } from '@access-monitor/contracts';
import { allows, PERMISSIONS } from '@access-monitor/rbac';
import { ApiProblem } from '../../../components/api-problem';
import { CopyLinkButton } from '../../../components/copy-link-button';
import { PageHeader } from '../../../components/page-header';
import { ProblemPanel } from '../../../components/problem-panel';
import { Skeleton } from '../../../components/skeleton';
import { formatWindow } from '../../../components/window-param';
import { WindowSelector } from '../../../components/window-selector';
import { paths } from '../../../lib/paths';
import { useAccess } from '../../../lib/session/use-me';
import { findingQueryHref } from '../finding-query-link';
import { FindingCard } from '../components/finding-card';
import { ReportStateBadge } from '../components/report-state-badge';
import { parsePage } from '../report-view';
import { useReportDays, useReportWindow } from '../use-report-window';

/** `/reports/:name/findings/:query?days=30&page=2`: one finding of a report window, its rows open. */
export function FindingPage() {
  const { name = '', query: queryId = '' } = useParams();
  const [days, setDays] = useReportDays();
  const [params, setParams] = useSearchParams();
  const page = parsePage(params.get('page'));
  const { summary, state, runId, run } = useReportWindow(name, days);
  const finding = run.data?.queries.find((q) => q.id === queryId);
  const title = finding?.title ?? summary.data?.queries.find((q) => q.id === queryId)?.title ?? 'Finding';
  const canRunQueries = allows(useAccess(), PERMISSIONS.runQuery);

  const setPage = (p: number) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (p > 1) next.set('page', String(p));
      else next.delete('page');
      return next;
    });

  return (
    <>
      <PageHeader
        title={title}
        subtitle={summary.data ? `${summary.data.title}, last ${formatWindow(days)}` : undefined}
        actions={
          <>
            <WindowSelector value={days} options={REPORT_WINDOWS} onChange={(d) => setDays(d as WindowDays)} />
            <CopyLinkButton />
          </>
        }
      />
      <div className="page-body">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to={paths.reports()}>Security reports</Link> <span aria-hidden="true">›</span>{' '}
          <Link to={paths.report(name, { days })}>{summary.data?.title ?? name}</Link>
        </nav>
        {summary.isPending || (runId !== undefined && run.isPending) ? (
          <Skeleton label="Loading the finding…" />
        ) : summary.isError ? (
          <ApiProblem error={summary.error} testId="report-problem" />
        ) : run.isError ? (
          <ApiProblem error={run.error} testId="run-problem" />
        ) : !run.data ? (
          <p className="empty-state" data-testid="report-never-run">
            {state ? <ReportStateBadge state={state} /> : null} No run of this window has finished yet.{' '}
            <Link to={paths.report(name, { days })}>Open the report</Link> to run it.
          </p>
        ) : !finding ? (
          <ProblemPanel problem={{ type: 'about:blank', title: 'No such finding', status: 404, detail: `This report has no audit query “${queryId}”.` }} />
        ) : (
          <FindingCard
            run={run.data}
            finding={finding}
            rowsOpen
            collapsible={false}
            page={page}
            onRowsOpenChange={() => undefined}
            onPageChange={setPage}
            headingLevel={2}
            openQueryHref={canRunQueries ? findingQueryHref(finding, run.data.window) : undefined}
          />
        )}
        {run.data ? (
          <p className="muted">
            From run <Link to={paths.run(run.data.id)}>{run.data.id}</Link>.
          </p>
        ) : null}
      </div>
    </>
  );
}
