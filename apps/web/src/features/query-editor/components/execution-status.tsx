import { useEffect, useState } from 'react';
import type { Execution, ExecutionState } from '@access-monitor/contracts';
import { formatBytes, formatCount, formatDuration } from '../../../components/number-format';
import { Timestamp } from '../../../components/timestamp';
import { isTerminal } from '../api';
import { scannedBytesToShow } from '../scanned-bytes';
import { enginePathLabel } from '../engine-path';

export const STATE_LABELS: Record<ExecutionState, string> = {
  QUEUED: 'Queued',
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
};

interface ExecutionStatusProps {
  /** Undefined while the run is being submitted. */
  execution: Execution | undefined;
  /** When `execution` was fetched, to keep the elapsed time ticking between polls. */
  fetchedAt: number;
}

/** Live state of a run: state, elapsed time, bytes scanned, and rows once done. */
export function ExecutionStatus({ execution, fetchedAt }: ExecutionStatusProps) {
  const running = execution !== undefined && !isTerminal(execution.state);
  const now = useNow(running);
  if (!execution) {
    return (
      <div className="execution-status">
        <span className="state-badge state-badge--queued" data-testid="execution-state" role="status">
          Submitting…
        </span>
      </div>
    );
  }
  const elapsed = running ? execution.elapsedMs + Math.max(0, now - fetchedAt) : execution.elapsedMs;
  const scanned = scannedBytesToShow(execution);
  const path = enginePathLabel(execution);
  return (
    <div className="execution-status">
      <span className={`state-badge state-badge--${execution.state.toLowerCase()}`} data-testid="execution-state" role="status">
        {running ? <span className="spinner" aria-hidden="true" /> : null}
        {STATE_LABELS[execution.state]}
      </span>
      <dl className="execution-status__facts">
        <div>
          <dt>Elapsed</dt>
          <dd>{formatDuration(elapsed)}</dd>
        </div>
        {scanned !== undefined ? (
          <div>
            <dt>Scanned</dt>
            <dd>{formatBytes(scanned)}</dd>
          </div>
        ) : null}
        {path ? (
          <div>
            <dt>Read from</dt>
            <dd data-testid="engine-path" title={path.title}>
              {path.label}
            </dd>
          </div>
        ) : null}
        {execution.rowCount !== undefined ? (
          <div>
            <dt>Rows</dt>
            <dd>{formatCount(execution.rowCount)}</dd>
          </div>
        ) : null}
        <div>
          <dt>Submitted</dt>
          <dd>
            <Timestamp value={execution.submittedAt} />
          </dd>
        </div>
        <div>
          <dt>Window</dt>
          <dd>
            {execution.window.start} – {execution.window.end} <abbr title="Audit days are calendar days in UTC">UTC</abbr>
          </dd>
        </div>
      </dl>
    </div>
  );
}

/** Current time, refreshed a few times a second while `active`. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}
