import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChartSpec, DateWindow, StartExecution } from '@access-monitor/contracts';
import { allows, PERMISSIONS } from '@access-monitor/rbac';
import { useAccess } from '../../lib/session/use-me';
import { isTerminal } from './api';
import { chartFits } from './chart/chart-data';
import { useExecution } from './use-execution';
import { useQueryPageParams, type QueryPageDefaults } from './use-query-page-params';
import { useSqlDraft } from './use-sql-draft';

/** What was last submitted: the SQL (the selection, or all of it) and where it starts in the editor. */
export interface Submitted {
  sql: string;
  /** Character offset of `sql` in the editor's text when it was run. */
  from: number;
}

/**
 * The state behind an audit query page (new or saved): the SQL being edited, the window, the chart and the run it
 * shows, all kept in the address. Pages render it with `QueryWorkbench` and add their own header and save controls.
 * `savedName` labels runs of a saved query (the CSV download and the history carry it).
 */
export function useQueryEditor(defaults?: QueryPageDefaults, savedName?: string) {
  const { sql, days, range, executionId, chart, chartInUrl, runOnOpen, update } = useQueryPageParams(defaults);
  const writeSql = useCallback((next: string) => update({ sql: next }), [update]);
  const [draft, setDraft] = useSqlDraft(sql, writeSql);
  const { execution, start, cancel } = useExecution(executionId);
  // Routes already require what their page needs; checked here too so the control never outlives the permission.
  const canRun = allows(useAccess(), PERMISSIONS.runQuery);
  const [submitted, setSubmitted] = useState<Submitted>();

  const current = executionId ? execution.data : undefined;
  const running = start.isPending || (current !== undefined && !isTerminal(current.state));

  /** Runs the whole SQL, or `selection` (a part of it starting at `from`) when given. */
  const run = (selection?: Submitted) => {
    if (running || !canRun) return;
    const what = selection && selection.sql.trim() !== '' ? selection : { sql: draft, from: 0 };
    setSubmitted(what);
    cancel.reset();
    const window = range ? { start: range.start, end: range.end } : { days };
    const body: StartExecution = { sql: what.sql, ...window, ...(savedName ? { query: savedName } : {}) };
    start.mutate(body, {
      onSuccess: (e) => update({ sql: draft, executionId: e.id }, { push: true }),
      onError: () => update({ sql: draft, executionId: null }),
    });
  };

  const cancelRun = useCallback(() => {
    if (current && !isTerminal(current.state) && !cancel.isPending) cancel.mutate(current.id);
  }, [current, cancel]);

  useEffect(() => {
    if (!running) return;
    const onKeyDown = (event: KeyboardEvent) => {
      // Whatever else Esc does (the editor closing its completion list, a dialog closing), it also cancels the run.
      if (event.key === 'Escape') cancelRun();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [running, cancelRun]);

  // "Open query" links ask for a run on arrival (`?run=1`): once, and only for someone allowed to run.
  const ranOnOpen = useRef(false);
  useEffect(() => {
    if (!runOnOpen || ranOnOpen.current || !canRun) return;
    ranOnOpen.current = true;
    run();
    // `run` changes every render; the ref makes this happen once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runOnOpen, canRun]);

  // A chart from the address that names columns the result no longer has (the SQL changed) leaves the address,
  // so a copied link never carries it; the saved query's own chart, if any, stays to be re-picked.
  const resultColumns = current?.state === 'SUCCEEDED' ? current.columns : undefined;
  useEffect(() => {
    if (chartInUrl && chart && resultColumns && !chartFits(resultColumns, chart)) update({ chart: 'default' });
  }, [chartInUrl, chart, resultColumns, update]);

  /** This page's link with the SQL on screen, which reaches the address only once typing pauses. */
  const linkUrl = useCallback(() => {
    const url = new URL(window.location.href);
    if (draft !== sql) url.searchParams.set('sql', draft);
    return url.toString();
  }, [draft, sql]);

  const setDays = useCallback((next: number) => update({ days: next }, { push: true }), [update]);
  const setRange = useCallback((next: DateWindow) => update({ range: next }, { push: true }), [update]);
  const setChart = useCallback((next: ChartSpec | null) => update({ chart: next }), [update]);

  /** Replaces what is being edited (a reload of the saved revision): `sql: null` drops the edits from the address. */
  const reset = useCallback(
    (next: { sql: string; days: number }) => {
      setDraft(next.sql);
      update({ sql: null, days: next.days, chart: 'default' });
    },
    [setDraft, update],
  );

  return {
    draft,
    setDraft,
    linkUrl,
    days,
    setDays,
    range,
    setRange,
    chart,
    setChart,
    reset,
    update,
    executionId,
    execution,
    current,
    running,
    start,
    cancel,
    run,
    cancelRun,
    canRun,
    submitted,
  };
}

export type QueryEditor = ReturnType<typeof useQueryEditor>;
