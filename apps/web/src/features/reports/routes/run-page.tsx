import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { ReportRun } from '@access-monitor/contracts';
import { api } from '../../../api/endpoints';
import { ApiProblem } from '../../../components/api-problem';
import { CopyLinkButton } from '../../../components/copy-link-button';
import { formatBytes, formatDuration } from '../../../components/number-format';
import { PageHeader } from '../../../components/page-header';
import { Skeleton } from '../../../components/skeleton';
import { formatUtcDayLong } from '../../../components/time-format';
import { Timestamp } from '../../../components/timestamp';
import { formatWindow, parseReportWindow } from '../../../components/window-param';
import { paths } from '../../../lib/paths';
import { reportRunOptions } from '../api';
import { RunFindings } from '../components/run-findings';

const RUN_STATE_LABELS: Record<ReportRun['state'], { text: string; modifier: string }> = {
  SUCCEEDED: { text: 'Succeeded', modifier: 'succeeded' },
  PARTIAL: { text: 'Partly failed', modifier: 'cancelled' },
  FAILED: { text: 'Failed', modifier: 'failed' },
};

/** `/runs/:runId`: exactly one immutable report run — what it covered, how it ran, its findings and the evidence. */
export function RunPage() {
  const runId = useParams().runId ?? '';
  const run = useQuery(reportRunOptions(runId));
  return (
    <>
      <PageHeader
        title={run.data ? `${run.data.title} · run` : 'Report run'}
        subtitle={
          run.data ? (
            <>
              {formatWindow(run.data.days)}, {formatUtcDayLong(run.data.window.start)} – {formatUtcDayLong(run.data.window.end)} (UTC days). This page always shows
              exactly this run.
            </>
          ) : undefined
        }
        actions={
          <>
            <CopyLinkButton />
            {run.data ? (
              <a className="btn btn--secondary" href={api.evidenceZipUrl(run.data.id)} download data-testid="evidence-zip">
                Evidence (zip)
              </a>
            ) : null}
          </>
        }
      />
      <div className="page-body">
        {run.isPending ? (
          <Skeleton label="Loading the report run…" />
        ) : run.isError ? (
          <ApiProblem error={run.error} testId="run-problem" />
        ) : (
          <>
            <RunFacts run={run.data} />
            <RunFindings run={run.data} />
          </>
        )}
      </div>
    </>
  );
}

function RunFacts({ run }: { run: ReportRun }) {
  const state = RUN_STATE_LABELS[run.state];
  const days = parseReportWindow(String(run.days));
  return (
    <section className="card report-status" aria-label="About this run" data-testid="run-facts">
      <div className="report-status__line">
        <span className={`state-badge state-badge--${state.modifier}`} data-testid="run-state">
          {state.text}
        </span>
        <Link to={paths.report(run.report, { days })}>Current state of this report over {formatWindow(days)}</Link>
      </div>
      <dl className="execution-status__facts run-facts">
        <div>
          <dt>Run</dt>
          <dd className="mono" data-testid="run-id">
            {run.id}
          </dd>
        </div>
        <div>
          <dt>Engine</dt>
          <dd>{run.engine}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <Timestamp value={run.startedAt} />
            {run.startedBy ? ` by ${run.startedBy}` : ' by the scheduler'}
          </dd>
        </div>
        <div>
          <dt>Finished</dt>
          <dd>
            <Timestamp value={run.finishedAt} />
          </dd>
        </div>
        <div>
          <dt>Took</dt>
          <dd>{formatDuration(Math.max(0, Date.parse(run.finishedAt) - Date.parse(run.startedAt)))}</dd>
        </div>
        <div>
          <dt>Scanned</dt>
          <dd>{formatBytes(run.bytesScanned)}</dd>
        </div>
      </dl>
    </section>
  );
}
