import type { ChartSpec } from '@access-monitor/contracts';
import { writeChart } from './chart-params';

/** Links into the dashboard, built in one place so every view stays a shareable URL. */
export const paths = {
  login: (next?: string) => (next === undefined ? '/login' : `/login?${new URLSearchParams({ next })}`),
  overview: (days?: number) => (days === undefined ? '/' : `/?${new URLSearchParams({ days: String(days) })}`),
  /** The query editor; `chart` draws the result as the link's source did, `run` runs it on arrival ("Open query"). */
  newQuery: (query?: { sql?: string; days?: number; start?: string; end?: string; chart?: ChartSpec; run?: boolean }) => {
    const path = withSearch('/queries/new', { sql: query?.sql, days: query?.days, start: query?.start, end: query?.end, run: query?.run ? 1 : undefined });
    if (!query?.chart) return path;
    const params = new URLSearchParams(path.split('?')[1] ?? '');
    writeChart(params, query.chart);
    return `/queries/new?${params}`;
  },
  /** The caller's query history, filtered by `q`. */
  executions: (q?: string) => withSearch('/executions', { q: q || undefined }),
  /** One execution's facts and rows (a result link; opened with the viewer's own permissions). */
  execution: (id: string) => `/executions/${encodeURIComponent(id)}`,
  savedQueries: () => '/queries',
  /** A saved audit query; `days` pins the window (else the query's own), `sql` carries unsaved edits. */
  savedQuery: (name: string, query?: { sql?: string; days?: number }) => {
    const params = new URLSearchParams();
    if (query?.sql !== undefined) params.set('sql', query.sql);
    if (query?.days !== undefined) params.set('days', String(query.days));
    const search = params.toString();
    const path = `/queries/${encodeURIComponent(name)}`;
    return search ? `${path}?${search}` : path;
  },
  reports: () => '/reports',
  /** A security report in one window; `rows`/`page` keep a finding's rows open at a page. */
  report: (name: string, query?: { days?: number; rows?: string; page?: number }) =>
    withSearch(`/reports/${encodeURIComponent(name)}`, {
      days: query?.days,
      rows: query?.rows,
      page: query?.page !== undefined && query.page > 1 ? query.page : undefined,
    }),
  /** One finding of a report in one window, full page. */
  finding: (name: string, queryId: string, query?: { days?: number; page?: number }) =>
    withSearch(`/reports/${encodeURIComponent(name)}/findings/${encodeURIComponent(queryId)}`, {
      days: query?.days,
      page: query?.page !== undefined && query.page > 1 ? query.page : undefined,
    }),
  /** Permalink of one immutable report run. */
  run: (runId: string, query?: { rows?: string; page?: number }) =>
    withSearch(`/runs/${encodeURIComponent(runId)}`, { rows: query?.rows, page: query?.page !== undefined && query.page > 1 ? query.page : undefined }),
  /** The response actions: rules that notify destinations (and may lock users) when a finding has new rows. */
  actions: () => '/actions',
  /** The rule editor for a new rule; `source` (`<report>/<finding id>`) prefills it from a finding card. */
  newAction: (source?: string) => withSearch('/actions/new', { source }),
  /** One rule: its editor and firing history. */
  action: (name: string) => `/actions/${encodeURIComponent(name)}`,
  /**
   * A user's or a session's audit events in a report window (ending on `end`, else today): `at` opens the page
   * holding an event (its time or uid, or a day), `cursor` a page next to one shown; `types` and `order` filter and sort.
   */
  timeline: (
    query: ({ user: string } | { session: string }) & { days: number; end?: string; at?: string; cursor?: string; types?: readonly string[]; order?: 'oldest' | 'newest' },
  ) =>
    withSearch('/timeline', {
      user: 'user' in query ? query.user : undefined,
      session: 'session' in query ? query.session : undefined,
      days: query.days,
      end: query.end,
      at: query.at,
      cursor: query.cursor,
      types: query.types && query.types.length > 0 ? query.types.join(',') : undefined,
      order: query.order === 'newest' ? 'newest' : undefined,
    }),
};

/** `path?a=1&b=x`, leaving out undefined values (and the `?` when nothing is left). */
function withSearch(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}
