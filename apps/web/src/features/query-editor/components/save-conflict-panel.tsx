import { useEffect, useRef } from 'react';
import type { SaveQuery } from '@access-monitor/contracts';
import { Timestamp } from '../../../components/timestamp';
import { formatWindow } from '../../../components/window-param';
import { conflictingFields, type SaveConflict } from '../save-conflict';

interface SaveConflictPanelProps {
  conflict: SaveConflict;
  /** The version this user tried to save (their edits over the revision they opened). */
  mine: SaveQuery;
  onReload: () => void;
  onOverwrite: () => void;
  overwriting: boolean;
}

/** A save refused because someone saved first: who and when, both versions side by side, and the two ways out. */
export function SaveConflictPanel({ conflict, mine, onReload, onOverwrite, overwriting }: SaveConflictPanelProps) {
  const theirs = conflict.theirs.query;
  const differs = conflictingFields(mine, theirs);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // The save button that led here is now beside the point: take the user to the decision.
  useEffect(() => headingRef.current?.focus(), [conflict.theirs.etag]);

  return (
    <section className="card conflict-panel" data-testid="save-conflict" aria-labelledby="save-conflict-title">
      <h2 id="save-conflict-title" className="conflict-panel__title" ref={headingRef} tabIndex={-1}>
        Someone saved revision {theirs.revision} (by {theirs.savedBy} at <Timestamp value={theirs.savedAt} />) since you opened this query
      </h2>
      <p>
        Your changes are not saved.{' '}
        {differs.length > 0 ? <>Your version and theirs differ in: {differs.join(', ')}.</> : <>Your version and theirs are the same.</>}
      </p>
      <div className="conflict-panel__versions">
        <Version heading="Yours" testId="conflict-mine" version={mine} />
        <Version heading={`Theirs (revision ${theirs.revision})`} testId="conflict-theirs" version={theirs} />
      </div>
      <div className="conflict-panel__actions">
        <button type="button" className="btn btn--secondary" data-testid="conflict-reload" onClick={onReload} disabled={overwriting}>
          Reload theirs
        </button>
        <button type="button" className="btn btn--danger" data-testid="conflict-overwrite" onClick={onOverwrite} disabled={overwriting}>
          {overwriting ? 'Saving…' : 'Overwrite with mine'}
        </button>
        <span className="muted conflict-panel__hint">Reload discards your edits; overwrite replaces revision {theirs.revision} with your version.</span>
      </div>
    </section>
  );
}

function Version({ heading, testId, version }: { heading: string; testId: string; version: SaveQuery }) {
  return (
    <figure className="conflict-panel__version" data-testid={testId}>
      <figcaption>
        <strong>{heading}</strong> <span className="muted">· {formatWindow(version.days)}</span>
        {version.title ? <span className="muted"> · {version.title}</span> : null}
      </figcaption>
      <pre className="code-block conflict-panel__sql">
        <code>{version.sql}</code>
      </pre>
    </figure>
  );
}
