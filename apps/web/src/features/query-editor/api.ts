import { queryOptions } from '@tanstack/react-query';
import { isTerminalState } from '@access-monitor/contracts';
import { api } from '../../api/endpoints';
import { savedQueryKeys } from '../../lib/shared-queries';

export const RESULTS_PAGE_SIZE = 100;

export const isTerminal = isTerminalState;

/** Delay before the next status poll: 250 ms, 500 ms, then every second. */
export const pollDelay = (pollsSoFar: number): number => Math.min(1000, 250 * 2 ** Math.max(0, pollsSoFar - 1));

export const executionKeys = {
  all: ['executions'] as const,
  detail: (id: string) => [...executionKeys.all, id] as const,
  results: (id: string, offset: number, limit: number) => [...executionKeys.all, id, 'results', { offset, limit }] as const,
};

/** An execution, polled with backoff until it reaches a terminal state. */
export const executionOptions = (id: string) =>
  queryOptions({
    queryKey: executionKeys.detail(id),
    queryFn: ({ signal }) => api.execution(id, signal),
    refetchInterval: (query) => {
      const execution = query.state.data;
      if (query.state.status === 'error' || !execution || isTerminal(execution.state)) return false;
      return pollDelay(query.state.dataUpdateCount);
    },
    refetchIntervalInBackground: true,
    staleTime: (query) => (query.state.data && isTerminal(query.state.data.state) ? Infinity : 0),
  });

/** A page of a finished execution's rows; results never change, so they never go stale. */
export const executionResultsOptions = (id: string, offset: number, limit = RESULTS_PAGE_SIZE) =>
  queryOptions({
    queryKey: executionKeys.results(id, offset, limit),
    queryFn: ({ signal }) => api.executionResults(id, offset, limit, signal),
    staleTime: Infinity,
  });

/** Bytes a run over the window would scan; partitions change slowly, so a minute is fresh enough. */
export const estimateOptions = (window: { days: number } | { start: string; end: string }) =>
  queryOptions({
    queryKey: [...executionKeys.all, 'estimate', window] as const,
    queryFn: ({ signal }) => api.executionEstimate(window, signal),
    staleTime: 60_000,
  });

/** The caller's query history, newest first. */
export const historyOptions = (q: string) =>
  queryOptions({
    queryKey: [...executionKeys.all, 'history', q] as const,
    queryFn: ({ signal }) => api.executions({ ...(q ? { q } : {}), limit: 100 }, signal),
  });

export const schemaKeys = {
  all: ['schema'] as const,
};

export const auditSchemaOptions = () =>
  queryOptions({
    queryKey: schemaKeys.all,
    queryFn: ({ signal }) => api.auditSchema(signal),
    staleTime: 10 * 60_000,
  });

// The key factory and the list are shared with the response-action source picker, so they live in lib.
export { savedQueriesOptions, savedQueryKeys } from '../../lib/shared-queries';

/** The deleted saved queries, each as its tombstone revision. */
export const deletedQueriesOptions = () =>
  queryOptions({
    queryKey: savedQueryKeys.deletedList(),
    queryFn: ({ signal }) => api.deletedQueries(signal),
  });

/** One saved audit query as `{ query, etag }`: the ETag is what a save of an edit sends back as `If-Match`. */
export const savedQueryOptions = (name: string) =>
  queryOptions({
    queryKey: savedQueryKeys.detail(name),
    queryFn: ({ signal }) => api.savedQuery(name, signal),
  });

/** Every revision of a saved query, oldest first, deletions included; keyed by the latest one the page knows, so a save refreshes it. */
export const revisionsOptions = (name: string, latest: number) =>
  queryOptions({
    queryKey: savedQueryKeys.revisions(name, latest),
    queryFn: ({ signal }) => api.savedQueryRevisions(name, signal),
  });
