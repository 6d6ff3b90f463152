import { queryOptions } from '@tanstack/react-query';
import type { ReportSummary } from '@access-monitor/contracts';
import { api } from '../api/endpoints';

// Query keys and options that more than one feature reads: the response-action source picker lists the security
// reports and the saved audit queries. Each resource's whole key factory lives here, so the owning feature's
// invalidations (`features/reports/api.ts`, `features/query-editor/api.ts` re-export these) hit the same cache entries.

/** How often a report's state is asked for while one of its windows runs. */
export const RUNNING_POLL_MS = 1_000;

export const anyRunning = (report: ReportSummary): boolean => report.states.some((s) => s.state === 'RUNNING');

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

/** Every security report with its per-window state; polled while any of them runs. */
export const reportListOptions = () =>
  queryOptions({
    queryKey: reportKeys.list(),
    queryFn: ({ signal }) => api.reports(signal),
    refetchInterval: (query) => (query.state.data?.reports.some(anyRunning) ? RUNNING_POLL_MS * 2 : false),
  });

export const savedQueryKeys = {
  all: ['saved-queries'] as const,
  list: () => [...savedQueryKeys.all, 'list'] as const,
  /** Under `list()`, so whatever refreshes the list after a save or a delete refreshes this too. */
  deletedList: () => [...savedQueryKeys.list(), { deleted: true }] as const,
  detail: (name: string) => [...savedQueryKeys.all, 'detail', name] as const,
  revisions: (name: string, latest: number) => [...savedQueryKeys.all, 'revisions', name, latest] as const,
};

/** The saved audit queries (latest revision of each, deleted ones left out). */
export const savedQueriesOptions = () =>
  queryOptions({
    queryKey: savedQueryKeys.list(),
    queryFn: ({ signal }) => api.savedQueries(signal),
  });
