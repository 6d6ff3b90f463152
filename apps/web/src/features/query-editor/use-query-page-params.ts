import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { DEFAULT_WINDOW, parseQueryWindow } from '../../components/window-param';

export const DEFAULT_SQL = 'SELECT count(*) AS sessions FROM session_start';

/** Marks navigations the query page makes itself, so the editor does not reload its own SQL from them. */
export const OWN_NAVIGATION = { fromQueryPage: true } as const;
export const isOwnNavigation = (state: unknown): boolean =>
  typeof state === 'object' && state !== null && (state as { fromQueryPage?: unknown }).fromQueryPage === true;

export interface QueryPageChanges {
  /** `null` removes it, so the page shows its default SQL again (a saved query's own). */
  sql?: string | null;
  days?: number;
  /** `null` removes it. */
  executionId?: string | null;
  page?: number;
}

const parsePage = (value: string | null): number => (value !== null && /^[1-9]\d{0,6}$/.test(value) ? Number(value) : 1);

/** What the page shows without `?sql=` or `?days=`: a starter query, or the saved query being edited. */
export interface QueryPageDefaults {
  sql: string;
  days: number;
}

const NEW_QUERY: QueryPageDefaults = { sql: DEFAULT_SQL, days: DEFAULT_WINDOW };

/**
 * Everything a link to the query page reproduces: `?sql=…&days=…` and, once run, `&execution=<id>&page=<n>`.
 * On a saved query, `?sql=` holds unsaved edits only.
 */
export function useQueryPageParams(defaults: QueryPageDefaults = NEW_QUERY) {
  const [params, setParams] = useSearchParams();
  const sql = params.get('sql') ?? defaults.sql;
  const days = parseQueryWindow(params.get('days'), defaults.days);
  const executionId = params.get('execution') ?? undefined;
  const page = parsePage(params.get('page'));

  const update = useCallback(
    (changes: QueryPageChanges, { push = false }: { push?: boolean } = {}) => {
      setParams(
        () => {
          // From the live URL, not react-router's `prev` (the params of the last render): two updates
          // before a re-render (a run's navigation, then the SQL draft's delayed write) would otherwise
          // lose the first one, e.g. drop `execution=` and leave the page waiting on nothing.
          const next = new URLSearchParams(window.location.search);
          if (changes.sql === null) next.delete('sql');
          else if (changes.sql !== undefined) next.set('sql', changes.sql);
          if (changes.days !== undefined) next.set('days', String(changes.days));
          if (changes.executionId === null) next.delete('execution');
          else if (changes.executionId !== undefined) next.set('execution', changes.executionId);
          if (changes.page !== undefined) {
            if (changes.page > 1) next.set('page', String(changes.page));
            else next.delete('page');
          }
          return next;
        },
        { replace: !push, state: OWN_NAVIGATION },
      );
    },
    [setParams],
  );

  return { sql, days, executionId, page, update };
}
