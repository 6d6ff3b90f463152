import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { parseQueryWindow } from '../../components/window-param';

export const DEFAULT_SQL = 'SELECT count(*) AS sessions FROM session_start';

/** Marks navigations the query page makes itself, so the editor does not reload its own SQL from them. */
export const OWN_NAVIGATION = { fromQueryPage: true } as const;
export const isOwnNavigation = (state: unknown): boolean =>
  typeof state === 'object' && state !== null && (state as { fromQueryPage?: unknown }).fromQueryPage === true;

export interface QueryPageChanges {
  sql?: string;
  days?: number;
  /** `null` removes it. */
  executionId?: string | null;
  page?: number;
}

const parsePage = (value: string | null): number => (value !== null && /^[1-9]\d{0,6}$/.test(value) ? Number(value) : 1);

/**
 * Everything a link to the query page reproduces: `?sql=…&days=…` and, once run, `&execution=<id>&page=<n>`.
 */
export function useQueryPageParams() {
  const [params, setParams] = useSearchParams();
  const sql = params.get('sql') ?? DEFAULT_SQL;
  const days = parseQueryWindow(params.get('days'));
  const executionId = params.get('execution') ?? undefined;
  const page = parsePage(params.get('page'));

  const update = useCallback(
    (changes: QueryPageChanges, { push = false }: { push?: boolean } = {}) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (changes.sql !== undefined) next.set('sql', changes.sql);
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
