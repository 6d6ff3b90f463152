import { queryOptions } from '@tanstack/react-query';
import type { WindowDays } from '@access-monitor/contracts';
import { api } from '../../api/endpoints';
import type { TimelineOrder, TimelineSubject } from './timeline-params';

/** Events per page of a timeline. */
export const TIMELINE_PAGE_SIZE = 100;

/** Which page: where it opens (`at`, else `cursor`, else the start), of which event types, in which order. */
export interface TimelinePageQuery {
  end: string | undefined;
  at: string | undefined;
  cursor: string | undefined;
  types: readonly string[];
  order: TimelineOrder;
}

export const timelineKeys = {
  all: ['timeline'] as const,
  page: (subject: TimelineSubject, days: WindowDays, q: TimelinePageQuery) =>
    [...timelineKeys.all, subject, days, q.end ?? 'today', q.order, q.types.join(','), q.at ? `at:${q.at}` : q.cursor ? `cursor:${q.cursor}` : 'start'] as const,
};

export const timelineOptions = (subject: TimelineSubject, days: WindowDays, q: TimelinePageQuery) =>
  queryOptions({
    queryKey: timelineKeys.page(subject, days, q),
    queryFn: ({ signal }) =>
      api.timeline(
        {
          ...subject,
          days,
          ...(q.end !== undefined ? { end: q.end } : {}),
          ...(q.at !== undefined ? { at: q.at } : q.cursor !== undefined ? { cursor: q.cursor } : {}),
          types: q.types,
          order: q.order,
          limit: TIMELINE_PAGE_SIZE,
        },
        signal,
      ),
    // The audit log only grows at the end of the window; a minute-old page is fine to show again.
    staleTime: 60_000,
  });
