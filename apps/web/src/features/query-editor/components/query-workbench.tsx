import { useRef, type ReactNode } from 'react';
import type { Problem } from '@access-monitor/contracts';
import { toProblem } from '../../../components/problem-panel';
import { ApiProblem } from '../../session/components/api-problem';
import { ForbiddenPanel } from '../../session/components/forbidden-panel';
import { isForbidden } from '../../session/session-problems';
import { offsetOf, spacedForInsertion } from '../sql-position';
import type { QueryEditor } from '../use-query-editor';
import { ExecutionStatus } from './execution-status';
import { ResultsPanel } from './results-panel';
import { SchemaPanel } from './schema-panel';
import { RUN_SHORTCUT, SqlEditor } from './sql-editor';
import { SqlProblem } from './sql-problem';

const EDITOR_ID = 'sql-editor';
const PROBLEM_ID = 'sql-problem';

interface QueryWorkbenchProps {
  editor: QueryEditor;
  /** Controls after Run and Cancel: saving, deleting. */
  actions?: ReactNode;
  /** Panels right under the editor, before the run's problems and results (a save conflict). */
  notices?: ReactNode;
}

/** The SQL editor, its run and results, and the schema beside them: the body of every audit query page. */
export function QueryWorkbench({ editor, actions, notices }: QueryWorkbenchProps) {
  const { draft, setDraft, page, update, executionId, execution, current, running, start, cancel, run, cancelRun, canRun } = editor;
  const editorRef = useRef<HTMLTextAreaElement>(null);

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
    <div className={canRun ? 'page-body query-layout' : 'page-body query-layout query-layout--wide'}>
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
            {actions ? <div className="toolbar__end">{actions}</div> : null}
          </div>
          {start.isPending || current ? <ExecutionStatus execution={start.isPending ? undefined : current} fetchedAt={execution.dataUpdatedAt} /> : null}
        </section>

        {notices}
        {startForbidden ? <ForbiddenPanel problem={toProblem(start.error)} /> : null}
        {sqlProblem ? <SqlProblem id={PROBLEM_ID} problem={sqlProblem.problem} sql={sqlProblem.sql} onShowInEditor={showInEditor} /> : null}
        {executionId && execution.isError ? <ApiProblem error={execution.error} /> : null}
        {cancel.isError ? <ApiProblem error={cancel.error} testId="cancel-problem" /> : null}
        {current?.state === 'CANCELLED' ? <p className="notice">The query was cancelled before it finished.</p> : null}
        {current?.state === 'SUCCEEDED' ? <ResultsPanel execution={current} page={page} onPageChange={(p) => update({ page: p }, { push: true })} /> : null}
      </div>
      {/* The schema serves writing SQL to run; without `use` on audit_query the server would refuse it anyway. */}
      {canRun ? (
        <aside className="query-layout__aside" aria-label="Schema">
          <SchemaPanel onInsert={insert} />
        </aside>
      ) : null}
    </div>
  );
}
