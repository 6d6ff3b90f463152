import { queryOptions } from '@tanstack/react-query';
import type { ReportSummary } from '@access-monitor/contracts';
import { api } from '../../api/endpoints';
import { anyRunning, reportKeys, RUNNING_POLL_MS } from '../../lib/shared-queries';

/** Rows per page of a finding's detail grid. */
export const FINDING_ROWS_PAGE_SIZE = 50;

// The key factory and the list are shared with the response-action source picker, so they live in lib.
export { reportKeys, reportListOptions } from '../../lib/shared-queries';

/** One report's metadata and state per window; polled while a window runs (progress moves, then READY/FAILED). */
export const reportSummaryOptions = (name: string) =>
  queryOptions({
    queryKey: reportKeys.summary(name),
    queryFn: ({ signal }) => api.report(name, signal),
    refetchInterval: (query) => (query.state.data && anyRunning(query.state.data) ? RUNNING_POLL_MS : false),
  });

/** A finished run never changes, only its triage counts, and a triage made here invalidates it: fetch it once. */
export const reportRunOptions = (runId: string) =>
  queryOptions({
    queryKey: reportKeys.run(runId),
    queryFn: ({ signal }) => api.reportRun(runId, signal),
    staleTime: Infinity,
  });

export const runRowsOptions = (runId: string, queryId: string, offset: number) =>
  queryOptions({
    queryKey: reportKeys.rows(runId, queryId, offset),
    queryFn: ({ signal }) => api.runRows(runId, queryId, offset, FINDING_ROWS_PAGE_SIZE, signal),
    staleTime: Infinity,
  });

/** Rows a sorted or filtered finding table reads at once (the rows endpoint's largest page); beyond, it says so. */
export const FINDING_ROWS_VIEW_LIMIT = 10_000;

/** A finding's rows in one page, for sorting and filtering them in the browser. */
export const runAllRowsOptions = (runId: string, queryId: string) =>
  queryOptions({
    queryKey: [...reportKeys.rows(runId, queryId, 0), 'all'] as const,
    queryFn: ({ signal }) => api.runRows(runId, queryId, 0, FINDING_ROWS_VIEW_LIMIT, signal),
    staleTime: Infinity,
  });

/** Every triage revision of the report's findings, newest first: who marked what, when and why. */
export const triageLogOptions = (name: string) =>
  queryOptions({
    queryKey: reportKeys.triageLog(name),
    queryFn: ({ signal }) => api.reportTriage(name, { log: true }, signal),
  });

/** The summary with one window's state replaced (after a run starts), so the page shows RUNNING at once. */
export function withWindowState(report: ReportSummary, state: ReportSummary['states'][number]): ReportSummary {
  return { ...report, states: report.states.map((s) => (s.days === state.days ? state : s)) };
}
