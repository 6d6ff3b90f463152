import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { SaveResponseAction } from '@access-monitor/contracts';
import { api, type ResponseActionAt, type SavePrecondition } from '../../api/endpoints';

/** How often the list and a rule's history refresh on their own: schedules fire without anyone looking. */
const SCHEDULE_POLL_MS = 30_000;

export const actionKeys = {
  all: ['response-actions'] as const,
  list: () => [...actionKeys.all, 'list'] as const,
  destinations: () => [...actionKeys.all, 'destinations'] as const,
  detail: (name: string) => [...actionKeys.all, 'detail', name] as const,
  revisions: (name: string, latest: number) => [...actionKeys.detail(name), 'revisions', latest] as const,
  firings: (name: string) => [...actionKeys.detail(name), 'firings'] as const,
  preview: (body: SaveResponseAction) => [...actionKeys.all, 'preview', body] as const,
};

/** Every rule with its next and last firing. */
export const actionListOptions = () =>
  queryOptions({
    queryKey: actionKeys.list(),
    queryFn: ({ signal }) => api.responseActions(signal),
    refetchInterval: SCHEDULE_POLL_MS,
  });

/** The destinations the config declares; they change only with a restart. */
export const destinationsOptions = () =>
  queryOptions({
    queryKey: actionKeys.destinations(),
    queryFn: ({ signal }) => api.actionDestinations(signal),
    staleTime: 5 * 60_000,
  });

/** One rule as `{ action, etag }`: the ETag is what a save of an edit sends back as `If-Match`. */
export const actionOptions = (name: string) =>
  queryOptions({
    queryKey: actionKeys.detail(name),
    queryFn: ({ signal }) => api.responseAction(name, signal),
  });

/** Every revision, oldest first; keyed by the latest one the page knows, so a save refreshes it. */
export const actionRevisionsOptions = (name: string, latest: number) =>
  queryOptions({
    queryKey: actionKeys.revisions(name, latest),
    queryFn: ({ signal }) => api.responseActionRevisions(name, signal),
  });

/** The rule's firings, newest first; refreshed now and then for scheduled ones, at once after a test fire. */
export const firingsOptions = (name: string) =>
  queryOptions({
    queryKey: actionKeys.firings(name),
    queryFn: ({ signal }) => api.actionFirings(name, 50, signal),
    refetchInterval: (query) => (query.state.data?.firings.some((f) => f.state === 'RUNNING') ? 2_000 : SCHEDULE_POLL_MS),
  });

/**
 * What the rule on screen would send with today's data. Runs the source on the engine, so it is kept a minute per
 * body and the previous answer stays on screen while the next one comes.
 */
export const previewOptions = (body: SaveResponseAction) =>
  queryOptions({
    queryKey: actionKeys.preview(body),
    queryFn: ({ signal }) => api.previewResponseAction(body, signal),
    staleTime: 60_000,
    retry: false,
    placeholderData: keepPreviousData,
  });

/** PUT the rule (create or update by precondition); the list and the rule's queries learn the new revision. */
export function useSaveAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ name, body, precondition }: { name: string; body: SaveResponseAction; precondition: SavePrecondition }) =>
      api.saveResponseAction(name, body, precondition),
    onSuccess: (saved: ResponseActionAt) => {
      queryClient.setQueryData(actionKeys.detail(saved.action.name), saved);
      void queryClient.invalidateQueries({ queryKey: actionKeys.list() });
    },
  });
}

/** Fires the rule now (a test fire by default) and waits for the firing to end; its history refreshes after. */
export function useFireAction(name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ test }: { test: boolean }) => api.fireResponseAction(name, { test }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: actionKeys.firings(name) });
      void queryClient.invalidateQueries({ queryKey: actionKeys.list() });
    },
  });
}

/** Deletes the revision on screen only (`If-Match`). */
export function useDeleteAction(saved: ResponseActionAt) {
  const queryClient = useQueryClient();
  const { name } = saved.action;
  return useMutation({
    mutationFn: () => api.deleteResponseAction(name, { ifMatch: saved.etag }),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: actionKeys.detail(name) });
      void queryClient.invalidateQueries({ queryKey: actionKeys.list() });
    },
  });
}
