import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReportSummary, ReportWindowState, WindowDays } from '@access-monitor/contracts';
import { api } from '../../../api/endpoints';
import { ApiProblem } from '../../../components/api-problem';
import { reportKeys, withWindowState } from '../api';

interface RunReportButtonProps {
  report: string;
  days: WindowDays;
  state: ReportWindowState;
}

/**
 * Runs the report for this window (or refreshes it). The server joins a run already under way, so a
 * second click while RUNNING is harmless, but the button says what is happening instead.
 */
export function RunReportButton({ report, days, state }: RunReportButtonProps) {
  const queryClient = useQueryClient();
  const run = useMutation({
    mutationFn: () => api.startReportRun(report, { days }),
    onSuccess: (started) => {
      // Show RUNNING at once; polling the summary takes it from there.
      queryClient.setQueryData<ReportSummary>(reportKeys.summary(report), (old) => (old ? withWindowState(old, started.state) : old));
      void queryClient.invalidateQueries({ queryKey: reportKeys.summary(report) });
      void queryClient.invalidateQueries({ queryKey: reportKeys.list() });
    },
    // Refused (say, a run finished moments ago: 429): what is shown may be stale, so fetch the state again.
    onError: () => {
      void queryClient.invalidateQueries({ queryKey: reportKeys.summary(report) });
      void queryClient.invalidateQueries({ queryKey: reportKeys.list() });
    },
  });
  const running = state.state === 'RUNNING' || run.isPending;
  const label = state.state === 'NEVER_RUN' ? 'Run report' : 'Refresh';
  return (
    <div className="run-report">
      <button type="button" className="btn btn--primary" onClick={() => run.mutate()} disabled={running} data-testid="run-report">
        {running ? <span className="spinner" aria-hidden="true" /> : null}
        {running ? 'Running…' : label}
        <span className="sr-only"> the {days}-day window</span>
      </button>
      {run.isError ? <ApiProblem error={run.error} testId="run-report-problem" /> : null}
    </div>
  );
}
