import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiProblem } from '../../../components/api-problem';
import { Timestamp } from '../../../components/timestamp';
import { actionRevisionsOptions } from '../api';
import { describeSchedule } from '../schedule-text';

/** Who saved which revision when, newest first; loaded when opened. */
export function ActionRevisions({ name, latest }: { name: string; latest: number }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="card action-revisions" data-testid="action-revisions" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="action-revisions__summary">Revisions ({latest})</summary>
      {open ? <RevisionList name={name} latest={latest} /> : null}
    </details>
  );
}

function RevisionList({ name, latest }: { name: string; latest: number }) {
  const revisions = useQuery(actionRevisionsOptions(name, latest));
  if (revisions.isPending) return <p className="muted">Loading revisions…</p>;
  if (revisions.isError) return <ApiProblem error={revisions.error} />;
  return (
    <ol className="action-revisions__list" reversed>
      {[...revisions.data.revisions].reverse().map((r) => (
        <li key={r.revision}>
          <strong>Revision {r.revision}</strong> <span className="muted">by {r.savedBy} at</span> <Timestamp value={r.savedAt} />
          {r.deleted ? <span className="state-badge state-badge--failed">deleted</span> : <span className="muted"> · {describeSchedule(r.schedule)}{r.enabled ? '' : ' · paused'}</span>}
        </li>
      ))}
    </ol>
  );
}
