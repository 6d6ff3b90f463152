import { Link } from 'react-router';
import type { TimelineEvent } from '@access-monitor/contracts';
import { PlayInTeleportLink } from '../../../components/play-in-teleport-link';
import { Timestamp } from '../../../components/timestamp';
import { paths } from '../../../lib/paths';
import { prettyEventJson } from '../timeline-params';

/** Events oldest first: when (viewer's zone, UTC on hover), what, a one-line summary, MFA, and the event itself. */
export function TimelineEvents({ events, firstIndex, window }: { events: readonly TimelineEvent[]; firstIndex: number; window: { days: number; end?: string } }) {
  return (
    <ol className="timeline" start={firstIndex + 1} data-testid="timeline-events">
      {events.map((event, i) => (
        <li key={`${firstIndex + i}`} className="timeline__event" data-testid="timeline-event" data-event-type={event.event_type}>
          <div className="timeline__time">
            <Timestamp value={event.event_time} />
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
                  <Link to={paths.timeline({ user: event.user, ...window })} data-testid="timeline-user">
                    {event.user}
                  </Link>
                </>
              ) : null}
              {event.user && event.session_id ? ' · ' : null}
              {event.session_id ? (
                <>
                  session{' '}
                  <Link to={paths.timeline({ session: event.session_id, ...window })} className="mono" data-testid="timeline-session">
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
      ))}
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
