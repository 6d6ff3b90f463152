import { Suspense, useId, type ReactNode } from 'react';
import { Link } from 'react-router';
import { ProblemPanel, toProblem } from './problem-panel';
import { Skeleton } from './skeleton';

interface ChartFrameProps {
  title: string;
  description?: string;
  testId: string;
  /** Where "Open query" leads: the SQL behind the chart in the query page. */
  openQueryHref?: string;
  isPending: boolean;
  /** While pending: what is running, shown over the placeholder ("Running its audit query… 12 s"). */
  progress?: string;
  /** Pending, but the user stopped loading. */
  stopped?: boolean;
  error: unknown;
  isEmpty: boolean;
  emptyMessage: string;
  /** The chart itself; may be lazy (recharts loads in its own chunk). */
  children: ReactNode;
}

/** Card around one chart: title, the link to its SQL, and its loading, error and empty states. */
export function ChartFrame({ title, description, testId, openQueryHref, isPending, progress, stopped, error, isEmpty, emptyMessage, children }: ChartFrameProps) {
  const titleId = useId();
  return (
    <section className="card chart-frame" data-testid={testId} aria-busy={isPending && !stopped} aria-labelledby={titleId}>
      <header className="chart-frame__header">
        <div>
          <h2 id={titleId} className="chart-frame__title">
            {title}
          </h2>
          {description ? <p className="chart-frame__description">{description}</p> : null}
        </div>
        {openQueryHref ? (
          <Link className="chart-frame__link" to={openQueryHref}>
            Open query<span className="sr-only"> behind “{title}”</span>
          </Link>
        ) : null}
      </header>
      <div className="chart-frame__body">
        {isPending && stopped ? (
          <p className="empty-state" data-testid="chart-stopped">
            Stopped before this chart was ready.
          </p>
        ) : isPending ? (
          <div className="chart-frame__pending">
            <Skeleton label={`Loading ${title.toLowerCase()}…`} />
            {progress ? (
              <p className="chart-frame__progress" data-testid="chart-progress" aria-hidden="true">
                {progress}
              </p>
            ) : null}
          </div>
        ) : error ? (
          <ProblemPanel problem={toProblem(error)} testId="chart-problem" announce={false} />
        ) : isEmpty ? (
          <p className="empty-state">{emptyMessage}</p>
        ) : (
          <Suspense fallback={<Skeleton label="Loading chart…" />}>{children}</Suspense>
        )}
      </div>
    </section>
  );
}
