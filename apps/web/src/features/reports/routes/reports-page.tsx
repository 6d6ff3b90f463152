import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { REPORT_WINDOWS, type ReportSummary } from '@access-monitor/contracts';
import { ApiProblem } from '../../../components/api-problem';
import { PageHeader } from '../../../components/page-header';
import { Skeleton } from '../../../components/skeleton';
import { Timestamp } from '../../../components/timestamp';
import { formatWindow } from '../../../components/window-param';
import { paths } from '../../../lib/paths';
import { reportListOptions } from '../api';
import { ReportStateBadge } from '../components/report-state-badge';
import { windowState } from '../report-view';

/** `/reports`: every security report, with its state and last run per window (7, 30, 90, 120 days). */
export function ReportsPage() {
  const reports = useQuery(reportListOptions());
  return (
    <>
      <PageHeader title="Security reports" subtitle="Risky usage patterns found in the audit log, with recommendations" />
      <div className="page-body">
        {reports.isPending ? (
          <Skeleton label="Loading security reports…" />
        ) : reports.isError ? (
          <ApiProblem error={reports.error} testId="reports-problem" />
        ) : reports.data.reports.length === 0 ? (
          <p className="empty-state">No security reports are defined.</p>
        ) : (
          reports.data.reports.map((report) => <ReportEntry key={report.name} report={report} />)
        )}
      </div>
    </>
  );
}

function ReportEntry({ report }: { report: ReportSummary }) {
  const headingId = `report-${report.name}`;
  return (
    <section className="card report-entry" aria-labelledby={headingId} data-testid={`report-${report.name}`}>
      <header className="report-entry__header">
        <h2 id={headingId} className="report-entry__title">
          <Link to={paths.report(report.name)}>{report.title}</Link>
        </h2>
        <p className="report-entry__description">{report.description}</p>
        <p className="report-entry__meta muted">
          {report.queries.length} audit {report.queries.length === 1 ? 'query' : 'queries'}
          {report.readOnly ? ' · built in' : null}
        </p>
      </header>
      <table className="data-table report-windows">
        <caption className="sr-only">{report.title}: state per window</caption>
        <thead>
          <tr>
            <th scope="col">Window</th>
            <th scope="col">State</th>
            <th scope="col">Last run</th>
            <th scope="col">
              <span className="sr-only">Open</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {REPORT_WINDOWS.map((days) => {
            const state = windowState(report, days);
            return (
              <tr key={days} data-testid={`window-${days}`}>
                <th scope="row">{formatWindow(days)}</th>
                <td>
                  <ReportStateBadge state={state} />
                  {state.state === 'FAILED' && state.error ? (
                    <span className="report-windows__error" data-testid="report-state-error">
                      {state.error.title}
                      {state.error.detail ? `: ${state.error.detail}` : null}
                    </span>
                  ) : null}
                </td>
                <td>{state.lastReadyAt ? <Timestamp value={state.lastReadyAt} /> : state.finishedAt ? <Timestamp value={state.finishedAt} /> : <span className="muted">—</span>}</td>
                <td className="report-windows__open">
                  <Link to={paths.report(report.name, { days })}>
                    Open<span className="sr-only"> {report.title} over {formatWindow(days)}</span>
                  </Link>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
