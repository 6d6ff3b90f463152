import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { TimelineEvent } from '@access-monitor/contracts';
import { PlayInTeleportLink } from '../../../components/play-in-teleport-link';
import { Timestamp } from '../../../components/timestamp';
import { paths } from '../../../lib/paths';
import { prettyEventJson } from '../timeline-params';

interface TimelineEventsProps {
  events: readonly TimelineEvent[];
  firstIndex: number;
  /** The uid of the event the link named: marked, scrolled to and focused. */
  target: string | null;
  window: { days: number; end?: string };
}

/** Events in page order: when (in the chosen zone, the other on hover), what, a one-line summary, MFA, and the event itself. */
export function TimelineEvents({ events, firstIndex, target, window }: TimelineEventsProps) {
  const targetRef = useRef<HTMLLIElement>(null);
  useEffect(() => {
    const item = targetRef.current;
    if (!item) return;
    item.scrollIntoView({ block: 'center' });
    item.focus({ preventScroll: true });
  }, [target]);
  return (
    <ol className="timeline" start={firstIndex + 1} data-testid="timeline-events">
      {events.map((event, i) => {
        const isTarget = target !== null && event.uid === target;
        return (
          <li
            key={event.uid || `${firstIndex + i}`}
            ref={isTarget ? targetRef : undefined}
            className={isTarget ? 'timeline__event timeline__event--target' : 'timeline__event'}
            aria-current={isTarget ? 'true' : undefined}
            tabIndex={isTarget ? -1 : undefined}
            data-testid="timeline-event"
            data-event-type={event.event_type}
            data-uid={event.uid}
          >
            <div className="timeline__time">
              <Timestamp value={event.event_time} />
              {isTarget ? <span className="timeline__target-label">Linked event</span> : null}
            </div>
            <div className="timeline__main">
              <p className="timeline__headline">
                <code className="timeline__type">{event.event_type}</code>
                {event.code ? <span className="timeline__code muted">{event.code}</span> : null}
                <MfaIndicator mfa={event.mfa} />
              </p>
              <p className="timeline__summary" data-testid="timeline-summary">
                {event.summary}
              </p>
              <p className="timeline__who muted">
                {event.user ? (
                  <>
                    user{' '}
                    <Link to={paths.timeline({ user: event.user, ...window, at: event.uid })} data-testid="timeline-user">
                      {event.user}
                    </Link>
                  </>
                ) : null}
                {event.user && event.session_id ? ' · ' : null}
                {event.session_id ? (
                  <>
                    session{' '}
                    <Link to={paths.timeline({ session: event.session_id, ...window, at: event.uid })} className="mono" data-testid="timeline-session">
                      {event.session_id}
                    </Link>
                    <PlayInTeleportLink sid={event.session_id} />
                  </>
                ) : null}
              </p>
              <details className="timeline__json">
                <summary>Event JSON</summary>
                <pre className="code-block">
                  <code>{prettyEventJson(event.event_data)}</code>
                </pre>
              </details>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** Whether the event shows MFA; nothing when the event type cannot carry it. */
function MfaIndicator({ mfa }: { mfa: boolean | null }) {
  if (mfa === null) return null;
  return (
    <span className={`mfa-badge ${mfa ? 'mfa-badge--yes' : 'mfa-badge--no'}`} data-testid="timeline-mfa">
      {mfa ? 'MFA' : 'No MFA'}
    </span>
  );
}
