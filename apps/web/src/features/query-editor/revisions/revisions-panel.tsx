import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { SavedQuery } from '@access-monitor/contracts';
import { ApiProblem } from '../../../components/api-problem';
import { Skeleton } from '../../../components/skeleton';
import { Timestamp } from '../../../components/timestamp';
import { formatWindow } from '../../../components/window-param';
import { revisionsOptions } from '../api';
import { conflictingFields } from '../save-conflict';
import { lineDiff } from './line-diff';

interface RevisionsPanelProps {
  name: string;
  /** The revision the page shows; the list refreshes when it changes. */
  current: number;
  /** Offered to those who may update the query: saves the old revision's content as a new revision. */
  onRestore?: ((revision: SavedQuery) => void) | undefined;
  restoring: boolean;
}

/** Every revision of a saved query (who, when), a line diff of the SQL between any two, and restore. */
export function RevisionsPanel({ name, current, onRestore, restoring }: RevisionsPanelProps) {
  const id = useId();
  const list = useQuery(revisionsOptions(name, current));
  const revisions = list.data?.revisions ?? [];
  const [picked, setPicked] = useState<{ from?: number; to?: number }>({});
  const live = revisions.filter((r) => !r.deleted);
  const to = revisions.find((r) => r.revision === (picked.to ?? current)) ?? revisions.at(-1);
  const from = revisions.find((r) => r.revision === (picked.from ?? previousOf(live, to?.revision ?? current)));

  return (
    <details className="card revisions-panel" data-testid="revisions-panel">
      <summary className="schema-panel__summary">Revisions{list.data ? ` (${revisions.length})` : ''}</summary>
      {list.isPending ? (
        <Skeleton label="Loading revisions…" height={120} />
      ) : list.isError ? (
        <ApiProblem error={list.error} testId="revisions-problem" />
      ) : (
        <>
          <ol className="revisions-panel__list" reversed>
            {[...revisions].reverse().map((r) => (
              <li key={r.revision} className="revisions-panel__item" data-testid="revision-item">
                <span>
                  <strong>r{r.revision}</strong> {r.deleted ? <span className="muted">(deleted)</span> : r.revision === current ? <span className="muted">(current)</span> : null}
                </span>
                <span className="muted">
                  {r.savedBy} · <Timestamp value={r.savedAt} />
                </span>
                {onRestore && !r.deleted && r.revision !== current ? (
                  <button type="button" className="link-button" data-testid={`restore-r${r.revision}`} disabled={restoring} onClick={() => onRestore(r)}>
                    Restore
                  </button>
                ) : null}
              </li>
            ))}
          </ol>
          {live.length > 1 && from && to ? (
            <div className="revisions-panel__diff">
              <div className="revisions-panel__pickers">
                <label htmlFor={`${id}-from`}>Compare</label>
                <select id={`${id}-from`} className="input" data-testid="diff-from" value={from.revision} onChange={(e) => setPicked((p) => ({ ...p, from: Number(e.target.value) }))}>
                  {live.map((r) => (
                    <option key={r.revision} value={r.revision}>
                      r{r.revision}
                    </option>
                  ))}
                </select>
                <label htmlFor={`${id}-to`}>with</label>
                <select id={`${id}-to`} className="input" data-testid="diff-to" value={to.revision} onChange={(e) => setPicked((p) => ({ ...p, to: Number(e.target.value) }))}>
                  {live.map((r) => (
                    <option key={r.revision} value={r.revision}>
                      r{r.revision}
                    </option>
                  ))}
                </select>
              </div>
              <RevisionDiff from={from} to={to} />
            </div>
          ) : null}
        </>
      )}
    </details>
  );
}

const previousOf = (live: SavedQuery[], revision: number): number | undefined => [...live].reverse().find((r) => r.revision < revision)?.revision ?? live[0]?.revision;

function RevisionDiff({ from, to }: { from: SavedQuery; to: SavedQuery }) {
  const other = conflictingFields(from, to).filter((f) => f !== 'SQL');
  return (
    <div data-testid="revision-diff">
      {other.length > 0 ? (
        <p className="muted revisions-panel__fields">
          Also changed: {other.join(', ')}
          {other.includes('window') ? ` (${formatWindow(from.days)} → ${formatWindow(to.days)})` : ''}.
        </p>
      ) : null}
      <pre className="code-block line-diff" aria-label={`SQL of r${from.revision} compared with r${to.revision}`}>
        {lineDiff(from.sql, to.sql).map((line, i) => (
          <span key={i} className={`line-diff__line line-diff__line--${line.kind}`}>
            <span className="line-diff__sign" aria-label={line.kind === 'same' ? undefined : line.kind}>
              {line.kind === 'added' ? '+' : line.kind === 'removed' ? '−' : ' '}
            </span>
            {line.text}
            {'\n'}
          </span>
        ))}
      </pre>
    </div>
  );
}
