import { useRef, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Problem } from '@access-monitor/contracts';
import { ApiProblem } from '../../../components/api-problem';
import { ForbiddenPanel } from '../../../components/forbidden-panel';
import { toProblem } from '../../../components/problem-panel';
import { isForbidden } from '../../../lib/session/session-problems';
import { auditSchemaOptions } from '../api';
import { offsetOf } from '../sql-position';
import type { QueryEditor, Submitted } from '../use-query-editor';
import { ExecutionStatus } from './execution-status';
import { ResultsPanel } from './results-panel';
import { ScanEstimate } from './scan-estimate';
import { SchemaPanel } from './schema-panel';
import { RUN_SHORTCUT, SqlEditor, type SqlDiagnostic, type SqlEditorHandle } from './sql-editor';
import { SqlProblem } from './sql-problem';

const EDITOR_ID = 'sql-editor';
const PROBLEM_ID = 'sql-problem';

interface QueryWorkbenchProps {
  editor: QueryEditor;
  /** Controls after Run and Cancel: saving, deleting. */
  actions?: ReactNode;
  /** Panels right under the editor, before the run's problems and results (a save conflict). */
  notices?: ReactNode;
  /** Beside the schema: the saved query's revisions. */
  aside?: ReactNode;
}

/** The SQL editor, its run and results, and the schema beside them: the body of every audit query page. */
export function QueryWorkbench({ editor, actions, notices, aside }: QueryWorkbenchProps) {
  const { draft, setDraft, days, range, chart, setChart, executionId, execution, current, running, start, cancel, run, cancelRun, canRun, submitted } = editor;
  const editorRef = useRef<SqlEditorHandle>(null);
  const schema = useQuery({ ...auditSchemaOptions(), enabled: canRun });

  // The problem to explain, with the SQL it is about: refused at submission, or failed while running.
  const startForbidden = isForbidden(start.error) && !executionId;
  const sqlProblem: { problem: Problem; sql: string } | undefined =
    start.error && !executionId && !startForbidden
      ? { problem: toProblem(start.error), sql: start.variables?.sql ?? draft }
      : current?.state === 'FAILED' && current.error
        ? { problem: current.error, sql: current.sql }
        : undefined;

  const diagnostic = diagnosticFor(sqlProblem, draft, submitted);
  const showInEditor = diagnostic ? () => editorRef.current?.select(diagnostic.from, diagnostic.to) : undefined;

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
            schema={schema.data}
            diagnostic={diagnostic}
            describedBy={sqlProblem ? PROBLEM_ID : undefined}
          />
          <div className="toolbar">
            {canRun ? (
              <button type="button" className="btn btn--primary" data-testid="run-query" onClick={() => run()} disabled={running}>
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
                <kbd>{RUN_SHORTCUT}</kbd> runs (the selection, if any){running ? <>, <kbd>Esc</kbd> cancels</> : null}
              </span>
            ) : null}
            {canRun ? <ScanEstimate days={days} range={range} /> : null}
            {actions ? <div className="toolbar__end">{actions}</div> : null}
          </div>
          {start.isPending || current ? <ExecutionStatus execution={start.isPending ? undefined : current} fetchedAt={execution.dataUpdatedAt} /> : null}
        </section>

        {notices}
        {startForbidden ? <ForbiddenPanel problem={toProblem(start.error)} /> : null}
        {sqlProblem ? <SqlProblem id={PROBLEM_ID} problem={sqlProblem.problem} sql={sqlProblem.sql} onShowInEditor={showInEditor} /> : null}
        {executionId && execution.isError ? <ApiProblem error={execution.error} /> : null}
        {cancel.isError ? <ApiProblem error={cancel.error} testId="cancel-problem" /> : null}
        {current?.state === 'CANCELLED' ? (
          <p className="notice" data-testid="cancelled-notice">
            The query was cancelled before it finished; the engine stopped it.
          </p>
        ) : null}
        {current?.state === 'SUCCEEDED' ? <ResultsPanel execution={current} chart={chart} onChartChange={setChart} /> : null}
      </div>
      {/* The schema serves writing SQL to run; without `use` on audit_query the server would refuse it anyway. */}
      {canRun || aside ? (
        <aside className="query-layout__aside" aria-label="Schema and revisions">
          {aside}
          {canRun ? <SchemaPanel onInsert={(name) => editorRef.current?.insert(name)} /> : null}
        </aside>
      ) : null}
    </div>
  );
}

/** Where a problem's position falls in the editor: in the selection that was run, or wherever the editor still holds that SQL. */
function diagnosticFor(sqlProblem: { problem: Problem; sql: string } | undefined, draft: string, submitted: Submitted | undefined): SqlDiagnostic | undefined {
  const position = sqlProblem?.problem.position;
  if (!sqlProblem || !position) return undefined;
  const ranHere = submitted && submitted.sql === sqlProblem.sql && draft.slice(submitted.from, submitted.from + submitted.sql.length) === sqlProblem.sql;
  const base = ranHere ? submitted.from : draft.indexOf(sqlProblem.sql);
  if (base < 0) return undefined;
  const from = base + offsetOf(sqlProblem.sql, position);
  // The engine's token length when it gave one (a binder error's column), else the word there.
  const length = position.length ?? /^[\w"']+/.exec(draft.slice(from))?.[0].length ?? 1;
  return { from, to: from + length, message: `${sqlProblem.problem.title}: ${sqlProblem.problem.detail ?? ''}`.trim() };
}
