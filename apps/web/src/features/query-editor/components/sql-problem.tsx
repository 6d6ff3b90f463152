import type { Problem } from '@access-monitor/contracts';
import { ProblemPanel } from '../../../components/problem-panel';
import { excerptAt } from '../sql-position';

interface SqlProblemProps {
  id: string;
  problem: Problem;
  /** The SQL the problem is about (as submitted, which may differ from the editor by now). */
  sql: string;
  /** Offered when the editor still holds that SQL. */
  onShowInEditor?: () => void;
}

/** A refused or failed query: title, detail and, for syntax errors, where in the SQL. */
export function SqlProblem({ id, problem, sql, onShowInEditor }: SqlProblemProps) {
  const position = problem.position;
  const excerpt = position ? excerptAt(sql, position) : undefined;
  return (
    <div id={id}>
      <ProblemPanel problem={problem}>
        {position && excerpt ? (
          <div className="problem__position">
            <p>
              At line {position.line}, column {position.column}
              {onShowInEditor ? (
                <>
                  {' '}
                  <button type="button" className="link-button" onClick={onShowInEditor}>
                    Show in editor
                  </button>
                </>
              ) : null}
            </p>
            <pre className="problem__excerpt">
              <code>
                {excerpt.before}
                <mark>{excerpt.at}</mark>
                {excerpt.after}
              </code>
            </pre>
          </div>
        ) : null}
      </ProblemPanel>
    </div>
  );
}
