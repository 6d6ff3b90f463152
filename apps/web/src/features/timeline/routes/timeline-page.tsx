import { useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router';
import { REPORT_WINDOWS, type Timeline } from '@access-monitor/contracts';
import { ApiProblem } from '../../../components/api-problem';
import { CopyLinkButton } from '../../../components/copy-link-button';
import { formatCount } from '../../../components/number-format';
import { PageHeader } from '../../../components/page-header';
import { Skeleton } from '../../../components/skeleton';
import { formatUtcDayLong } from '../../../components/time-format';
import { formatWindow } from '../../../components/window-param';
import { WindowSelector } from '../../../components/window-selector';
import { paths } from '../../../lib/paths';
import { TIMELINE_PAGE_SIZE, timelineOptions } from '../api';
import { TimelineEvents } from '../components/timeline-events';
import { parseTimelineParams, type TimelineSubject } from '../timeline-params';

/** `/timeline?user=…&days=…[&end=…]` or `?session=…`: one user's or one session's audit events, oldest first. */
export function TimelinePage() {
  const [params] = useSearchParams();
  const { subject, days, end, page } = parseTimelineParams(params);
  const navigate = useNavigate();

  const go = (next: { days?: number; page?: number }) => {
    if (!subject) return;
    void navigate(paths.timeline({ ...subject, days: next.days ?? days, ...(end !== undefined ? { end } : {}), page: next.page ?? 1 }));
  };

  return (
    <>
      <PageHeader
        title={subject ? subjectTitle(subject) : 'Timeline'}
        subtitle={subject ? `Audit events over ${formatWindow(days)}${end ? ` ending ${formatUtcDayLong(end)} (UTC)` : ''}, oldest first` : undefined}
        actions={
          subject ? (
            <>
              <WindowSelector value={days} options={REPORT_WINDOWS} onChange={(d) => go({ days: d })} />
              <CopyLinkButton />
            </>
          ) : undefined
        }
      />
      <div className="page-body">
        {subject ? <TimelineBody subject={subject} days={days} end={end} page={page} onPageChange={(p) => go({ page: p })} /> : <SubjectForm days={days} />}
      </div>
    </>
  );
}

const subjectTitle = (subject: TimelineSubject) => ('user' in subject ? `Timeline of user ${subject.user}` : `Timeline of session ${subject.session}`);

interface TimelineBodyProps {
  subject: TimelineSubject;
  days: (typeof REPORT_WINDOWS)[number];
  end: string | undefined;
  page: number;
  onPageChange: (page: number) => void;
}

function TimelineBody({ subject, days, end, page, onPageChange }: TimelineBodyProps) {
  const offset = (page - 1) * TIMELINE_PAGE_SIZE;
  const timeline = useQuery({ ...timelineOptions(subject, days, end, offset), placeholderData: keepPreviousData });
  if (timeline.isPending) return <Skeleton label="Loading the timeline…" />;
  if (timeline.isError) return <ApiProblem error={timeline.error} testId="timeline-problem" />;
  const data = timeline.data;
  return (
    <section className="card timeline-card" aria-label="Audit events" aria-busy={timeline.isFetching} data-testid="timeline">
      <header className="results__header">
        <h2 className="results__title">Audit events</h2>
        <span className="results__count" data-testid="timeline-count">
          {formatCount(data.totalEvents)} {data.totalEvents === 1 ? 'event' : 'events'}, {formatUtcDayLong(data.window.start)} – {formatUtcDayLong(data.window.end)} (UTC days)
        </span>
      </header>
      {data.events.length === 0 ? (
        <p className="empty-state" data-testid="timeline-empty">
          {page > 1 ? 'No events on this page.' : `No audit events for this ${'user' in subject ? 'user' : 'session'} in this window.`}
        </p>
      ) : (
        <TimelineEvents events={data.events} firstIndex={data.offset} window={{ days, end: data.window.end }} />
      )}
      <TimelinePager timeline={data} page={page} stale={timeline.isPlaceholderData} onPageChange={onPageChange} />
    </section>
  );
}

function TimelinePager({ timeline, page, stale, onPageChange }: { timeline: Timeline; page: number; stale: boolean; onPageChange: (page: number) => void }) {
  if (timeline.totalEvents <= TIMELINE_PAGE_SIZE) return null;
  const offset = (page - 1) * TIMELINE_PAGE_SIZE;
  const shown = stale ? 0 : timeline.events.length;
  return (
    <nav className="pager" aria-label="Timeline pages">
      <span className="pager__range" data-testid="timeline-range">
        {shown > 0 ? `Events ${formatCount(offset + 1)}–${formatCount(offset + shown)} of ${formatCount(timeline.totalEvents)}` : `Page ${page}`}
      </span>
      <button type="button" className="btn btn--secondary" disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
        Earlier
      </button>
      <button type="button" className="btn btn--secondary" disabled={offset + TIMELINE_PAGE_SIZE >= timeline.totalEvents} onClick={() => onPageChange(page + 1)}>
        Later
      </button>
    </nav>
  );
}

/** Without a user or session in the URL: ask for one (finding rows link here with it filled in). */
function SubjectForm({ days }: { days: (typeof REPORT_WINDOWS)[number] }) {
  const navigate = useNavigate();
  const [kind, setKind] = useState<'user' | 'session'>('user');
  const [value, setValue] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = value.trim();
    if (!v) return;
    void navigate(paths.timeline(kind === 'user' ? { user: v, days } : { session: v, days }));
  };
  return (
    <form className="card timeline-form" onSubmit={submit}>
      <p>Open a user's or a session's audit events. Finding rows of a security report link here directly.</p>
      <div className="timeline-form__row">
        <label>
          <span className="sr-only">Timeline of</span>
          <select className="input" value={kind} onChange={(e) => setKind(e.target.value === 'session' ? 'session' : 'user')}>
            <option value="user">User</option>
            <option value="session">Session id</option>
          </select>
        </label>
        <label className="timeline-form__value">
          <span className="sr-only">{kind === 'user' ? 'User name' : 'Session id'}</span>
          <input className="input" value={value} onChange={(e) => setValue(e.target.value)} placeholder={kind === 'user' ? 'alice' : 'session id'} />
        </label>
        <button type="submit" className="btn btn--primary">
          Open timeline
        </button>
      </div>
    </form>
  );
}
