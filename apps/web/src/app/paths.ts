/** Links into the dashboard, built in one place so every view stays a shareable URL. */
export const paths = {
  login: (next?: string) => (next === undefined ? '/login' : `/login?${new URLSearchParams({ next })}`),
  overview: (days?: number) => (days === undefined ? '/' : `/?${new URLSearchParams({ days: String(days) })}`),
  newQuery: (query?: { sql?: string; days?: number }) => {
    const params = new URLSearchParams();
    if (query?.sql !== undefined) params.set('sql', query.sql);
    if (query?.days !== undefined) params.set('days', String(query.days));
    const search = params.toString();
    return search ? `/queries/new?${search}` : '/queries/new';
  },
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
};
