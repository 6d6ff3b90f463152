import { useEffect, useRef } from 'react';
import type { SaveResponseAction } from '@access-monitor/contracts';
import { Timestamp } from '../../../components/timestamp';
import type { ActionConflict } from '../action-form';

const FIELDS: readonly { key: keyof SaveResponseAction; label: string }[] = [
  { key: 'description', label: 'description' },
  { key: 'source', label: 'source' },
  { key: 'window', label: 'window' },
  { key: 'schedule', label: 'schedule' },
  { key: 'condition', label: 'condition' },
  { key: 'notifications', label: 'destinations' },
  { key: 'response', label: 'response' },
  { key: 'enabled', label: 'enabled' },
];

/** What differs between the user's rule and the revision someone saved meanwhile. */
export const differingFields = (mine: SaveResponseAction, theirs: SaveResponseAction): string[] =>
  FIELDS.filter(({ key }) => JSON.stringify(mine[key]) !== JSON.stringify(theirs[key])).map((f) => f.label);

interface ActionConflictPanelProps {
  conflict: ActionConflict;
  mine: SaveResponseAction;
  onReload: () => void;
  onOverwrite: () => void;
  overwriting: boolean;
}

/** A save refused because someone saved first: who and when, what differs, and the two ways out. */
export function ActionConflictPanel({ conflict, mine, onReload, onOverwrite, overwriting }: ActionConflictPanelProps) {
  const theirs = conflict.theirs.action;
  const differs = differingFields(mine, theirs);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => headingRef.current?.focus(), [conflict.theirs.etag]);

  return (
    <section className="card conflict-panel" data-testid="action-conflict" aria-labelledby="action-conflict-title">
      <h2 id="action-conflict-title" className="conflict-panel__title" ref={headingRef} tabIndex={-1}>
        {theirs.deleted ? 'Someone deleted this rule' : `Someone saved revision ${theirs.revision}`} (by {theirs.savedBy} at <Timestamp value={theirs.savedAt} />)
        since you opened it
      </h2>
      <p>
        Your changes are not saved.{' '}
        {theirs.deleted ? null : differs.length > 0 ? <>Your rule and theirs differ in: {differs.join(', ')}.</> : <>Your rule and theirs are the same.</>}
      </p>
      <div className="conflict-panel__actions">
        <button type="button" className="btn btn--secondary" data-testid="conflict-reload" onClick={onReload} disabled={overwriting || theirs.deleted}>
          Reload theirs
        </button>
        <button type="button" className="btn btn--danger" data-testid="conflict-overwrite" onClick={onOverwrite} disabled={overwriting}>
          {overwriting ? 'Saving…' : 'Overwrite with mine'}
        </button>
        <span className="muted conflict-panel__hint">Reload discards your edits; overwrite saves your version as a new revision.</span>
      </div>
    </section>
  );
}
