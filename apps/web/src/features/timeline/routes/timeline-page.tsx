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
import { timelineOptions } from '../api';
import { TimelineEvents } from '../components/timeline-events';
import { parseTimelineParams, type TimelineParams, type TimelineSubject } from '../timeline-params';

type View = Omit<TimelineParams, 'subject'> & { subject: TimelineSubject };

/** `/timeline?user=…&days=…[&end=…][&at=…]` or `?session=…`: one user's or one session's audit events, a page at a time. */
export function TimelinePage() {
  const [params] = useSearchParams();
  const parsed = parseTimelineParams(params);
  const { subject, days, end, order } = parsed;
  const navigate = useNavigate();

  return (
    <>
      <PageHeader
        title={subject ? subjectTitle(subject) : 'Timeline'}
        subtitle={
          subject ? `Audit events over ${formatWindow(days)}${end ? ` ending ${formatUtcDayLong(end)} (UTC)` : ''}, ${order === 'newest' ? 'newest' : 'oldest'} first` : undefined
        }
        actions={
          subject ? (
            <>
              <WindowSelector
                value={days}
                options={REPORT_WINDOWS}
                onChange={(d) => void navigate(paths.timeline({ ...subject, days: d, ...(end !== undefined ? { end } : {}), types: parsed.types, order }))}
              />
              <CopyLinkButton />
            </>
          ) : undefined
        }
      />
      <div className="page-body">{subject ? <TimelineBody view={{ ...parsed, subject }} /> : <SubjectForm days={days} />}</div>
    </>
  );
}

const subjectTitle = (subject: TimelineSubject) => ('user' in subject ? `Timeline of user ${subject.user}` : `Timeline of session ${subject.session}`);

function TimelineBody({ view }: { view: View }) {
  const { subject, days, end, at, cursor, types, order } = view;
  const navigate = useNavigate();
  const timeline = useQuery({ ...timelineOptions(subject, days, { end, at, cursor, types, order }), placeholderData: keepPreviousData });
  /** Every change keeps the subject, window, filter and order unless it names them; a new page drops `at`. */
  const go = (next: Partial<Pick<View, 'at' | 'cursor' | 'types' | 'order'>>) =>
    void navigate(paths.timeline({ ...subject, days, ...(end !== undefined ? { end } : {}), types, order, ...next }));

  if (timeline.isPending) return <Skeleton label="Loading the timeline…" />;
  if (timeline.isError) return <ApiProblem error={timeline.error} testId="timeline-problem" />;
  const data = timeline.data;
  const stale = timeline.isPlaceholderData;
  return (
    <section className="card timeline-card" aria-label="Audit events" aria-busy={timeline.isFetching} data-testid="timeline">
      <header className="results__header">
        <h2 className="results__title">Audit events</h2>
        <span className="results__count" data-testid="timeline-count">
          {formatCount(data.totalEvents)} {data.totalEvents === 1 ? 'event' : 'events'}
          {data.types.length > 0 ? ` of ${data.types.join(', ')}` : ''}, {formatUtcDayLong(data.window.start)} – {formatUtcDayLong(data.window.end)} (UTC days)
        </span>
      </header>
      <TimelineControls
        timeline={data}
        view={view}
        onJump={(day) => go({ at: day, cursor: undefined })}
        onTypes={(t) => go({ types: t, cursor: undefined })}
        onOrder={(o) => go({ order: o, cursor: undefined })}
      />
      {at !== undefined && !stale && data.target === null ? (
        <p className="notice" role="status" data-testid="timeline-target-missing">
          {/^\d{4}-/.test(at)
            ? `No event at or after ${at} in this window${data.types.length > 0 ? ' of these types' : ''}; showing the ${order === 'oldest' ? 'last' : 'first'} page.`
            : `No event with id ${at} in this window${data.types.length > 0 ? ' of these types' : ''}.`}
        </p>
      ) : null}
      {data.events.length === 0 ? (
        <p className="empty-state" data-testid="timeline-empty">
          No audit events for this {'user' in subject ? 'user' : 'session'} in this window{data.types.length > 0 ? ' of these types' : ''}.
        </p>
      ) : (
        <TimelineEvents events={data.events} firstIndex={data.position} target={stale ? null : data.target} window={{ days, end: data.window.end }} />
      )}
      <TimelinePager timeline={data} stale={stale} onCursor={(c) => go({ at: undefined, cursor: c })} />
    </section>
  );
}

interface ControlsProps {
  timeline: Timeline;
  view: View;
  onJump: (day: string) => void;
  onTypes: (types: string[]) => void;
  onOrder: (order: View['order']) => void;
}

/** Jump to a day, show one event type, newest or oldest first: each kept in the URL. */
function TimelineControls({ timeline, view, onJump, onTypes, onOrder }: ControlsProps) {
  const [day, setDay] = useState(() => (view.at !== undefined && /^\d{4}-\d{2}-\d{2}/.test(view.at) ? view.at.slice(0, 10) : ''));
  const jump = (e: FormEvent) => {
    e.preventDefault();
    if (/^\d{4}-\d{2}-\d{2}$/.test(day)) onJump(day);
  };
  const chosen = view.types.join(',');
  const known = new Set(timeline.eventTypes.map((t) => t.event_type));
  return (
    <div className="timeline-controls" data-testid="timeline-controls">
      <form className="timeline-controls__jump" onSubmit={jump}>
        <label>
          Jump to day (UTC)
          <input
            className="input"
            type="date"
            value={day}
            min={timeline.window.start}
            max={timeline.window.end}
            onChange={(e) => setDay(e.target.value)}
            data-testid="timeline-jump-day"
          />
        </label>
        <button type="submit" className="btn btn--secondary" disabled={!/^\d{4}-\d{2}-\d{2}$/.test(day)} data-testid="timeline-jump">
          Go
        </button>
      </form>
      <label className="timeline-controls__types">
        Event type
        <select className="input" value={chosen} onChange={(e) => onTypes(e.target.value === '' ? [] : e.target.value.split(','))} data-testid="timeline-types">
          <option value="">All event types</option>
          {view.types.length > 0 && !(view.types.length === 1 && known.has(view.types[0]!)) ? <option value={chosen}>{view.types.join(', ')}</option> : null}
          {timeline.eventTypes.map((t) => (
            <option key={t.event_type} value={t.event_type}>
              {t.event_type} ({formatCount(t.events)})
            </option>
          ))}
        </select>
      </label>
      <label className="timeline-controls__order">
        <input type="checkbox" checked={view.order === 'newest'} onChange={(e) => onOrder(e.target.checked ? 'newest' : 'oldest')} data-testid="timeline-newest-first" />
        Newest first
      </label>
    </div>
  );
}

function TimelinePager({ timeline, stale, onCursor }: { timeline: Timeline; stale: boolean; onCursor: (cursor: string) => void }) {
  if (timeline.previous === null && timeline.next === null) return null;
  const shown = stale ? 0 : timeline.events.length;
  const [before, after] = timeline.order === 'oldest' ? ['Earlier', 'Later'] : ['Later', 'Earlier'];
  return (
    <nav className="pager" aria-label="Timeline pages">
      <span className="pager__range" data-testid="timeline-range">
        {shown > 0 ? `Events ${formatCount(timeline.position + 1)}–${formatCount(timeline.position + shown)} of ${formatCount(timeline.totalEvents)}` : 'Loading…'}
      </span>
      <button type="button" className="btn btn--secondary" disabled={timeline.previous === null || stale} onClick={() => timeline.previous && onCursor(timeline.previous)}>
        {before}
      </button>
      <button type="button" className="btn btn--secondary" disabled={timeline.next === null || stale} onClick={() => timeline.next && onCursor(timeline.next)}>
        {after}
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
