import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { DateWindow, MAX_WINDOW_DAYS, windowDays, type ChartSpec } from '@access-monitor/contracts';
import { parseChart, writeChart } from '../../lib/chart-params';
import { DEFAULT_WINDOW, parseQueryWindow } from '../../components/window-param';

export const DEFAULT_SQL = 'SELECT count(*) AS sessions FROM session_start';

/** Marks navigations the query page makes itself, so the editor does not reload its own SQL from them. */
export const OWN_NAVIGATION = { fromQueryPage: true } as const;
export const isOwnNavigation = (state: unknown): boolean =>
  typeof state === 'object' && state !== null && (state as { fromQueryPage?: unknown }).fromQueryPage === true;

export interface QueryPageChanges {
  /** `null` removes it, so the page shows its default SQL again (a saved query's own). */
  sql?: string | null;
  /** A window of N days ending today; replaces explicit dates. */
  days?: number;
  /** Explicit dates (`?start=&end=`); `null` goes back to `days`. */
  range?: DateWindow | null;
  /** `null` removes it. */
  executionId?: string | null;
  /** A chart of the result; `null` hides it; `'default'` drops it from the address (the saved query's own chart). */
  chart?: ChartSpec | null | 'default';
}

/** What the page shows without `?sql=`, `?days=` or `?chart=`: a starter query, or the saved query being edited. */
export interface QueryPageDefaults {
  sql: string;
  days: number;
  chart?: ChartSpec | null;
}

const NEW_QUERY: QueryPageDefaults = { sql: DEFAULT_SQL, days: DEFAULT_WINDOW, chart: null };

/** `?start=&end=` when both are dates, in order, and at most the longest window apart. */
export function parseRange(start: string | null, end: string | null): DateWindow | undefined {
  const parsed = DateWindow.safeParse({ start, end });
  if (!parsed.success || parsed.data.start > parsed.data.end || windowDays(parsed.data) > MAX_WINDOW_DAYS) return undefined;
  return parsed.data;
}

/**
 * Everything a link to the query page reproduces: `?sql=…&days=…` (or `&start=…&end=…`), once run `&execution=<id>`,
 * and the chart (`&chart=bar&x=…&y=…&series=…`); `&run=1` runs it on arrival. On a saved query, `?sql=` holds unsaved edits only.
 */
export function useQueryPageParams(defaults: QueryPageDefaults = NEW_QUERY) {
  const [params, setParams] = useSearchParams();
  const sql = params.get('sql') ?? defaults.sql;
  const range = parseRange(params.get('start'), params.get('end'));
  const days = range ? windowDays(range) : parseQueryWindow(params.get('days'), defaults.days);
  const executionId = params.get('execution') ?? undefined;
  const urlChart = parseChart(params);
  const chart = urlChart === undefined ? (defaults.chart ?? null) : urlChart;
  /** `?run=1` (an "Open query" link): run the SQL once on arrival; any change the page makes drops it. */
  const runOnOpen = params.get('run') === '1' && !executionId;

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
          if (changes.days !== undefined) {
            next.set('days', String(changes.days));
            next.delete('start');
            next.delete('end');
          }
          if (changes.range === null) {
            next.delete('start');
            next.delete('end');
          } else if (changes.range !== undefined) {
            next.set('start', changes.range.start);
            next.set('end', changes.range.end);
            next.delete('days');
          }
          if (changes.executionId === null) next.delete('execution');
          else if (changes.executionId !== undefined) next.set('execution', changes.executionId);
          if (changes.chart !== undefined) writeChart(next, changes.chart);
          next.delete('page'); // pages of the old pager: the grid scrolls instead
          next.delete('run'); // asked for once, by the link that opened the page
          return next;
        },
        { replace: !push, state: OWN_NAVIGATION },
      );
    },
    [setParams],
  );

  return { sql, days, range, executionId, chart, chartInUrl: urlChart !== undefined, runOnOpen, update };
}
