import { queryOptions } from '@tanstack/react-query';
import type { WindowDays } from '@access-monitor/contracts';
import { api } from '../../api/endpoints';
import type { TimelineSubject } from './timeline-params';

/** Events per page of a timeline. */
export const TIMELINE_PAGE_SIZE = 100;

export const timelineKeys = {
  all: ['timeline'] as const,
  page: (subject: TimelineSubject, days: WindowDays, end: string | undefined, offset: number) =>
    [...timelineKeys.all, subject, days, end ?? 'today', offset] as const,
};

export const timelineOptions = (subject: TimelineSubject, days: WindowDays, end: string | undefined, offset: number) =>
  queryOptions({
    queryKey: timelineKeys.page(subject, days, end, offset),
    queryFn: ({ signal }) => api.timeline({ ...subject, days, ...(end !== undefined ? { end } : {}), offset, limit: TIMELINE_PAGE_SIZE }, signal),
    // The audit log only grows at the end of the window; a minute-old page is fine to show again.
    staleTime: 60_000,
  });
