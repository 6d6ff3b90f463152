import { useCallback, useEffect } from 'react';
import { allows, PERMISSIONS } from '@access-monitor/rbac';
import { useAccess } from '../session/use-me';
import { isTerminal } from './api';
import { useExecution } from './use-execution';
import { useQueryPageParams, type QueryPageDefaults } from './use-query-page-params';
import { useSqlDraft } from './use-sql-draft';

/**
 * The state behind an audit query page (new or saved): the SQL being edited, the window, and the run it shows,
 * all kept in the address. Pages render it with `QueryWorkbench` and add their own header and save controls.
 */
export function useQueryEditor(defaults?: QueryPageDefaults) {
  const { sql, days, executionId, page, update } = useQueryPageParams(defaults);
  const writeSql = useCallback((next: string) => update({ sql: next }), [update]);
  const [draft, setDraft] = useSqlDraft(sql, writeSql);
  const { execution, start, cancel } = useExecution(executionId);
  // Routes already require what their page needs; checked here too so the control never outlives the permission.
  const canRun = allows(useAccess(), PERMISSIONS.runQuery);

  const current = executionId ? execution.data : undefined;
  const running = start.isPending || (current !== undefined && !isTerminal(current.state));

  const run = () => {
    if (running || !canRun) return;
    cancel.reset();
    start.mutate(
      { sql: draft, days },
      {
        onSuccess: (e) => update({ sql: draft, days, executionId: e.id, page: 1 }, { push: true }),
        onError: () => update({ sql: draft, executionId: null, page: 1 }),
      },
    );
  };

  const cancelRun = useCallback(() => {
    if (current && !isTerminal(current.state) && !cancel.isPending) cancel.mutate(current.id);
  }, [current, cancel]);

  useEffect(() => {
    if (!running) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') cancelRun();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [running, cancelRun]);

  const setDays = useCallback((next: number) => update({ days: next }, { push: true }), [update]);

  /** Replaces what is being edited (a reload of the saved revision): `sql: null` drops the edits from the address. */
  const reset = useCallback(
    (next: { sql: string; days: number }) => {
      setDraft(next.sql);
      update({ sql: null, days: next.days });
    },
    [setDraft, update],
  );

  return { draft, setDraft, days, setDays, reset, page, update, executionId, execution, current, running, start, cancel, run, cancelRun, canRun };
}

export type QueryEditor = ReturnType<typeof useQueryEditor>;
