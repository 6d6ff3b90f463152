import type { ReportWindowState } from '@access-monitor/contracts';

/** A report window's state: never run, running with progress, ready, or failed. */
export function ReportStateBadge({ state }: { state: ReportWindowState }) {
  switch (state.state) {
    case 'NEVER_RUN':
      return (
        <span className="state-badge" data-testid="report-state" data-state={state.state}>
          Never run
        </span>
      );
    case 'RUNNING':
      return (
        <span className="state-badge state-badge--running" data-testid="report-state" data-state={state.state}>
          <span className="spinner" aria-hidden="true" />
          Running{state.progress ? ` ${state.progress.done}/${state.progress.total}` : '…'}
        </span>
      );
    case 'READY':
      return (
        <span className="state-badge state-badge--succeeded" data-testid="report-state" data-state={state.state}>
          Ready
        </span>
      );
    case 'FAILED':
      return (
        <span className="state-badge state-badge--failed" data-testid="report-state" data-state={state.state}>
          Failed
        </span>
      );
  }
}

/** While RUNNING: `3 of 9 audit queries done` with a progress bar. */
export function RunProgress({ state }: { state: ReportWindowState }) {
  if (state.state !== 'RUNNING') return null;
  const { done, total } = state.progress ?? { done: 0, total: 0 };
  return (
    <div className="run-progress" data-testid="run-progress">
      <progress max={total || 1} value={done} aria-label="Report run progress" />
      <span>{total > 0 ? `${done} of ${total} audit queries done` : 'Starting…'}</span>
    </div>
  );
}
