import { Suspense, useId } from 'react';
import { Link } from 'react-router';
import type { ReportRun, RunQueryResult } from '@access-monitor/contracts';
import { allows, allowsAll, PERMISSIONS, READS_AUDIT_LOG } from '@access-monitor/rbac';
import { formatCount } from '../../../components/number-format';
import { ProblemPanel } from '../../../components/problem-panel';
import { Skeleton } from '../../../components/skeleton';
import { paths } from '../../../lib/paths';
import { useAccess } from '../../../lib/session/use-me';
import { triagedCounts } from '../triage-view';
import { FindingRows } from './finding-rows';
import { InlineCodeText } from './inline-code-text';
import { FindingTrendChart } from './lazy-finding-trend';
import { PeriodDiffView } from './period-diff';
import { SeverityBadge } from './severity-badge';

export interface FindingCardProps {
  run: ReportRun;
  finding: RunQueryResult;
  rowsOpen: boolean;
  /** 1-based page of the rows, from the URL. */
  page: number;
  onRowsOpenChange: (open: boolean) => void;
  onPageChange: (page: number) => void;
  /** The finding on its own page, when there is one for this view. */
  detailHref?: string;
  /** The audit query in the SQL page, when the user may run audit queries. */
  openQueryHref?: string;
  /** False on the finding's own page: its rows are always open. */
  collapsible?: boolean;
  /** Heading level inside the page: h3 under a report, h2 on the finding's own page. */
  headingLevel?: 2 | 3;
}

/** One audit query's outcome in a run: count, trend, change since the previous window, recommendation, rows. */
export function FindingCard({ run, finding, rowsOpen, page, onRowsOpenChange, onPageChange, detailHref, openQueryHref, collapsible = true, headingLevel = 3 }: FindingCardProps) {
  const headingId = useId();
  const rowsId = useId();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const Subheading = headingLevel === 2 ? 'h3' : 'h4';
  const failed = finding.state === 'FAILED';
  const rowCount = finding.rowCount;
  const hasRows = !failed && rowCount !== undefined && rowCount > 0;
  const triaged = triagedCounts(finding);
  // The page view of the run (all the SPA asks for) sends each chart folded.
  const { trend } = finding;
  const access = useAccess();
  const canTriage = allows(access, PERMISSIONS.updateReport);
  // A response action that runs this finding on a schedule: for those who may create one.
  const canAlert = allowsAll(access, [PERMISSIONS.createResponseAction, ...READS_AUDIT_LOG]);

  return (
    <article
      className={`card finding-card${failed ? ' finding-card--failed' : hasRows ? '' : ' finding-card--clear'}`}
      aria-labelledby={headingId}
      data-testid={`finding-${finding.id}`}
      data-finding={finding.id}
    >
      <header className="finding-card__header">
        <div className="finding-card__heading">
          <Heading id={headingId} className="finding-card__title">
            {finding.title}
          </Heading>
          <SeverityBadge severity={finding.severity} />
        </div>
        <p className="finding-card__count" data-testid="finding-count">
          {failed ? (
            <span className="finding-card__failed-label">Audit query failed</span>
          ) : rowCount === undefined ? (
            <span className="finding-card__failed-label">Row count unavailable</span>
          ) : triaged ? (
            <span title={`${formatCount(rowCount)} rows in all: ${formatCount(triaged.triaged)} of them triaged (accepted risk or false positive)`}>
              <span className="finding-card__count-value" data-testid="finding-open-count">
                {formatCount(triaged.open)}
              </span>{' '}
              open ·{' '}
              <span className="finding-card__count-triaged" data-testid="finding-triaged-count">
                {formatCount(triaged.triaged)}
              </span>{' '}
              triaged
            </span>
          ) : (
            <>
              <span className="finding-card__count-value" data-testid="finding-row-count">
                {formatCount(rowCount)}
              </span>{' '}
              {rowCount === 1 ? 'row' : 'rows'}
            </>
          )}
        </p>
      </header>
      <p className="finding-card__description">
        <InlineCodeText text={finding.description} />
      </p>

      {failed ? (
        <ProblemPanel
          problem={finding.error ?? { type: 'about:blank', title: 'This audit query failed', status: 0, detail: 'The run recorded no reason.' }}
          testId="finding-problem"
          announce={false}
        />
      ) : (
        <div className="finding-card__body">
          <div className="finding-card__trend">
            {!hasRows ? (
              <p className="empty-state">No findings in this window.</p>
            ) : trend ? (
              <Suspense fallback={<Skeleton label="Loading chart…" height={120} />}>
                <FindingTrendChart trend={trend} seriesLabel={finding.chartSeries} />
              </Suspense>
            ) : (
              <p className="empty-state">This run has no chart for this finding.</p>
            )}
          </div>
          <div className="finding-card__side">
            {finding.diff ? <PeriodDiffView diff={finding.diff} /> : null}
            <section className="finding-card__recommendation" aria-label="Recommendation">
              <Subheading className="finding-card__subtitle">Recommendation</Subheading>
              <p data-testid="finding-recommendation">
                <InlineCodeText text={finding.recommendation} />
              </p>
            </section>
          </div>
        </div>
      )}

      <footer className="finding-card__footer">
        {hasRows && collapsible ? (
          <button
            type="button"
            className="btn btn--secondary"
            aria-expanded={rowsOpen}
            aria-controls={rowsId}
            onClick={() => onRowsOpenChange(!rowsOpen)}
            data-testid="toggle-rows"
          >
            {rowsOpen ? 'Hide rows' : 'Show rows'}
            <span className="sr-only"> of {finding.title}</span>
          </button>
        ) : null}
        {detailHref ? (
          <Link to={detailHref} className="finding-card__link">
            Open finding<span className="sr-only"> {finding.title}</span>
          </Link>
        ) : null}
        {openQueryHref ? (
          <Link to={openQueryHref} className="finding-card__link">
            Open audit query<span className="sr-only"> behind {finding.title}</span>
          </Link>
        ) : null}
        {canAlert && !failed ? (
          <Link to={paths.newAction(`${run.report}/${finding.id}`)} className="finding-card__link" data-testid="alert-on-new-rows">
            Alert me on new rows<span className="sr-only"> of {finding.title}</span>
          </Link>
        ) : null}
      </footer>
      <div id={rowsId} hidden={!(hasRows && rowsOpen)}>
        {hasRows && rowsOpen ? (
          <FindingRows
            runId={run.id}
            report={run.report}
            queryId={finding.id}
            title={finding.title}
            rowCount={rowCount}
            page={page}
            onPageChange={onPageChange}
            window={{ days: run.days, end: run.window.end }}
            canTriage={canTriage}
          />
        ) : null}
      </div>
    </article>
  );
}
