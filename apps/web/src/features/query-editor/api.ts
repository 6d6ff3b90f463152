import { queryOptions } from '@tanstack/react-query';
import { isTerminalState } from '@access-monitor/contracts';
import { api } from '../../api/endpoints';

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

export const schemaKeys = {
  all: ['schema'] as const,
};

export const auditSchemaOptions = () =>
  queryOptions({
    queryKey: schemaKeys.all,
    queryFn: ({ signal }) => api.auditSchema(signal),
    staleTime: 10 * 60_000,
  });

export const savedQueryKeys = {
  all: ['saved-queries'] as const,
  list: () => [...savedQueryKeys.all, 'list'] as const,
  detail: (name: string) => [...savedQueryKeys.all, 'detail', name] as const,
};

/** The saved audit queries (latest revision of each, deleted ones left out). */
export const savedQueriesOptions = () =>
  queryOptions({
    queryKey: savedQueryKeys.list(),
    queryFn: ({ signal }) => api.savedQueries(signal),
  });

/** One saved audit query as `{ query, etag }`: the ETag is what a save of an edit sends back as `If-Match`. */
export const savedQueryOptions = (name: string) =>
  queryOptions({
    queryKey: savedQueryKeys.detail(name),
    queryFn: ({ signal }) => api.savedQuery(name, signal),
  });
