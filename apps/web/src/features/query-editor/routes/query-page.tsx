import { useCallback, useEffect, useRef } from 'react';
import { REPORT_WINDOWS, type Problem } from '@access-monitor/contracts';
import { allows, PERMISSIONS } from '@access-monitor/rbac';
import { PageHeader } from '../../../components/page-header';
import { toProblem } from '../../../components/problem-panel';
import { WindowSelector } from '../../../components/window-selector';
import { ApiProblem } from '../../session/components/api-problem';
import { ForbiddenPanel } from '../../session/components/forbidden-panel';
import { isForbidden } from '../../session/session-problems';
import { useAccess } from '../../session/use-me';
import { isTerminal } from '../api';
import { ExecutionStatus } from '../components/execution-status';
import { ResultsPanel } from '../components/results-panel';
import { SchemaPanel } from '../components/schema-panel';
import { RUN_SHORTCUT, SqlEditor } from '../components/sql-editor';
import { SqlProblem } from '../components/sql-problem';
import { offsetOf, spacedForInsertion } from '../sql-position';
import { useExecution } from '../use-execution';
import { useQueryPageParams } from '../use-query-page-params';
import { useSqlDraft } from '../use-sql-draft';

const EDITOR_ID = 'sql-editor';
const PROBLEM_ID = 'sql-problem';

/** `/queries/new?sql=…&days=…`: run an audit query, watch it, page through its rows. */
export function QueryPage() {
  const { sql, days, executionId, page, update } = useQueryPageParams();
  const writeSql = useCallback((next: string) => update({ sql: next }), [update]);
  const [draft, setDraft] = useSqlDraft(sql, writeSql);
  const editorRef = useRef<HTMLTextAreaElement>(null);
  const { execution, start, cancel } = useExecution(executionId);
  // The route already requires it; checked here too so the control never outlives the permission it needs.
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

  // The problem to explain, with the SQL it is about: refused at submission, or failed while running.
  const startForbidden = isForbidden(start.error) && !executionId;
  const sqlProblem: { problem: Problem; sql: string } | undefined =
    start.error && !executionId && !startForbidden
      ? { problem: toProblem(start.error), sql: start.variables?.sql ?? draft }
      : current?.state === 'FAILED' && current.error
        ? { problem: current.error, sql: current.sql }
        : undefined;
  const position = sqlProblem?.problem.position;
  const showInEditor =
    position && sqlProblem.sql === draft
      ? () => {
          const at = offsetOf(draft, position);
          editorRef.current?.focus();
          editorRef.current?.setSelectionRange(at, Math.min(at + 1, draft.length));
        }
      : undefined;

  const insert = (name: string) => {
    const el = editorRef.current;
    const from = el?.selectionStart ?? draft.length;
    const to = el?.selectionEnd ?? draft.length;
    const text = spacedForInsertion(name, draft.slice(0, from), draft.slice(to));
    setDraft(draft.slice(0, from) + text + draft.slice(to));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(from + text.length, from + text.length);
    });
  };

  return (
    <>
      <PageHeader
        title="Audit query"
        subtitle="Run SQL over the audit log. The SQL and window are in the address, so a link reproduces the query."
        actions={<WindowSelector value={days} options={REPORT_WINDOWS} onChange={(d) => update({ days: d }, { push: true })} />}
      />
      <div className="page-body query-layout">
        <div className="query-layout__main">
          <section className="card editor-card" aria-label="SQL editor">
            <SqlEditor
              id={EDITOR_ID}
              ref={editorRef}
              value={draft}
              onChange={setDraft}
              onRun={run}
              invalid={position !== undefined}
              describedBy={sqlProblem ? PROBLEM_ID : undefined}
            />
            <div className="toolbar">
              {canRun ? (
                <button type="button" className="btn btn--primary" data-testid="run-query" onClick={run} disabled={running}>
                  Run
                </button>
              ) : null}
              {running ? (
                <button type="button" className="btn btn--secondary" data-testid="cancel-query" onClick={cancelRun} disabled={!current || cancel.isPending}>
                  {cancel.isPending ? 'Cancelling…' : 'Cancel'}
                </button>
              ) : null}
              {canRun ? (
                <span className="toolbar__hint">
                  <kbd>{RUN_SHORTCUT}</kbd> runs{running ? <>, <kbd>Esc</kbd> cancels</> : null}
                </span>
              ) : null}
            </div>
            {start.isPending || current ? <ExecutionStatus execution={start.isPending ? undefined : current} fetchedAt={execution.dataUpdatedAt} /> : null}
          </section>

          {startForbidden ? <ForbiddenPanel problem={toProblem(start.error)} /> : null}
          {sqlProblem ? <SqlProblem id={PROBLEM_ID} problem={sqlProblem.problem} sql={sqlProblem.sql} onShowInEditor={showInEditor} /> : null}
          {executionId && execution.isError ? <ApiProblem error={execution.error} /> : null}
          {cancel.isError ? <ApiProblem error={cancel.error} testId="cancel-problem" /> : null}
          {current?.state === 'CANCELLED' ? <p className="notice">The query was cancelled before it finished.</p> : null}
          {current?.state === 'SUCCEEDED' ? <ResultsPanel execution={current} page={page} onPageChange={(p) => update({ page: p }, { push: true })} /> : null}
        </div>
        <aside className="query-layout__aside" aria-label="Schema">
          <SchemaPanel onInsert={insert} />
        </aside>
      </div>
    </>
  );
}
