import { Link, useParams } from 'react-router';
import { REPORT_WINDOWS, type ReportRun, type ReportWindowState, type WindowDays } from '@access-monitor/contracts';
import { allows, PERMISSIONS } from '@access-monitor/rbac';
import { ApiProblem } from '../../../components/api-problem';
import { CopyLinkButton } from '../../../components/copy-link-button';
import { PageHeader } from '../../../components/page-header';
import { ProblemPanel } from '../../../components/problem-panel';
import { Skeleton } from '../../../components/skeleton';
import { formatUtcDayLong } from '../../../components/time-format';
import { Timestamp } from '../../../components/timestamp';
import { formatWindow } from '../../../components/window-param';
import { WindowSelector } from '../../../components/window-selector';
import { paths } from '../../../lib/paths';
import { useAccess } from '../../../lib/session/use-me';
import { ReportStateBadge, RunProgress } from '../components/report-state-badge';
import { RunFindings } from '../components/run-findings';
import { RunReportButton } from '../components/run-report-button';
import { TriageLog } from '../components/triage-log';
import { useReportDays, useReportWindow } from '../use-report-window';

/** `/reports/:name?days=30`: a security report over one window — its state, a run/refresh, and what the last run found. */
export function ReportPage() {
  const name = useParams().name ?? '';
  const [days, setDays] = useReportDays();
  const { summary, state, runId, run } = useReportWindow(name, days);
  const canRun = allows(useAccess(), PERMISSIONS.runReport);

  const header = (
    <PageHeader
      title={summary.data?.title ?? 'Security report'}
      subtitle={summary.data ? <WindowSubtitle description={summary.data.description} days={days} run={run.data} /> : undefined}
      actions={
        <>
          <WindowSelector value={days} options={REPORT_WINDOWS} onChange={(d) => setDays(d as WindowDays)} />
          <CopyLinkButton />
          {canRun && state ? <RunReportButton report={name} days={days} state={state} /> : null}
        </>
      }
    />
  );

  return (
    <>
      {header}
      <div className="page-body">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to={paths.reports()}>Security reports</Link>
        </nav>
        {summary.isPending ? (
          <Skeleton label="Loading the security report…" />
        ) : summary.isError ? (
          <ApiProblem error={summary.error} testId="report-problem" />
        ) : state ? (
          <>
            <WindowStatus state={state} runId={runId} />
            {runId === undefined ? (
              <NoRunYet state={state} canRun={canRun} />
            ) : run.isPending ? (
              <Skeleton label="Loading the findings…" />
            ) : run.isError ? (
              <ApiProblem error={run.error} testId="run-problem" />
            ) : (
              <RunFindings run={run.data} findingHref={(queryId) => paths.finding(name, queryId, { days })} />
            )}
            <TriageLog report={name} findingTitles={new Map(summary.data.queries.map((q) => [q.id, q.title]))} />
          </>
        ) : null}
      </div>
    </>
  );
}

function WindowSubtitle({ description, days, run }: { description: string; days: WindowDays; run: ReportRun | undefined }) {
  return (
    <>
      {description} — {run ? `${formatUtcDayLong(run.window.start)} – ${formatUtcDayLong(run.window.end)} (UTC days)` : `last ${formatWindow(days)}`}
    </>
  );
}

/** The window's state, when it last ran, the run's permalink, and why the last attempt failed. */
function WindowStatus({ state, runId }: { state: ReportWindowState; runId: string | undefined }) {
  return (
    <section className="card report-status" aria-label="Report state" data-testid="report-status">
      <div className="report-status__line">
        <ReportStateBadge state={state} />
        {state.lastReadyAt ? (
          <span>
            Last run <Timestamp value={state.lastReadyAt} />
          </span>
        ) : null}
        {state.state === 'RUNNING' && state.startedAt ? (
          <span className="muted">
            Refresh started <Timestamp value={state.startedAt} />
          </span>
        ) : null}
        {runId ? (
          <Link to={paths.run(runId)} className="report-status__permalink" data-testid="run-permalink">
            Permalink of this run
          </Link>
        ) : null}
      </div>
      <RunProgress state={state} />
      {state.state === 'FAILED' ? (
        <ProblemPanel
          problem={state.error ?? { type: 'about:blank', title: 'The last run failed', status: 0 }}
          testId="report-state-problem"
          announce={false}
        >
          {runId ? <p>The findings below are from the last run that finished.</p> : null}
        </ProblemPanel>
      ) : null}
    </section>
  );
}

function NoRunYet({ state, canRun }: { state: ReportWindowState; canRun: boolean }) {
  if (state.state === 'RUNNING') return <Skeleton label="The report is running…" />;
  return (
    <p className="empty-state" data-testid="report-never-run">
      {state.state === 'FAILED' ? 'No run of this window has finished yet.' : `This report has not run over the last ${formatWindow(state.days)} yet.`}{' '}
      {canRun ? 'Run it to see its findings.' : 'Ask someone who may run security reports to run it.'}
    </p>
  );
}
