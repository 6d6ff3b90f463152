import { queryOptions } from '@tanstack/react-query';
import type { ReportSummary } from '@access-monitor/contracts';
import { api } from '../../api/endpoints';

/** Rows per page of a finding's detail grid. */
export const FINDING_ROWS_PAGE_SIZE = 50;

/** How often a report's state is asked for while one of its windows runs. */
const RUNNING_POLL_MS = 1_000;

export const reportKeys = {
  all: ['reports'] as const,
  list: () => [...reportKeys.all, 'list'] as const,
  summary: (name: string) => [...reportKeys.all, 'summary', name] as const,
  /** Every run and its rows: triage changes the counts and row statuses of all runs of a report. */
  runs: () => ['runs'] as const,
  run: (runId: string) => [...reportKeys.runs(), runId] as const,
  rows: (runId: string, queryId: string, offset: number) => [...reportKeys.run(runId), 'rows', queryId, offset] as const,
  triage: (name: string) => [...reportKeys.all, 'triage', name] as const,
  triageLog: (name: string) => [...reportKeys.triage(name), 'log'] as const,
};

const anyRunning = (report: ReportSummary): boolean => report.states.some((s) => s.state === 'RUNNING');

/** Every security report with its per-window state; polled while any of them runs. */
export const reportListOptions = () =>
  queryOptions({
    queryKey: reportKeys.list(),
    queryFn: ({ signal }) => api.reports(signal),
    refetchInterval: (query) => (query.state.data?.reports.some(anyRunning) ? RUNNING_POLL_MS * 2 : false),
  });

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
