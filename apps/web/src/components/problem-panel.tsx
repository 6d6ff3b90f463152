import type { ReactNode } from 'react';
import type { Problem } from '@access-monitor/contracts';
import { ApiError } from '../api/client';

/** Whatever was thrown, as a Problem: ApiErrors carry theirs, anything else becomes a generic one. */
export function toProblem(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem;
  return { type: 'about:blank', title: 'Something went wrong', status: 0, detail: error instanceof Error ? error.message : String(error) };
}

interface ProblemPanelProps {
  problem: Problem;
  testId?: string;
  /** Extra context under the detail, e.g. where in the SQL the problem is. */
  children?: ReactNode;
  /** Announce it to screen readers as it appears; off where several panels repeat one problem. */
  announce?: boolean;
}

/** A Problem as the user reads it: its title, its detail, and any per-field errors. */
export function ProblemPanel({ problem, testId = 'problem', children, announce = true }: ProblemPanelProps) {
  return (
    <div className="problem" role={announce ? 'alert' : undefined} data-testid={testId} data-problem-type={problem.type}>
      <p className="problem__title">{problem.title}</p>
      {problem.detail ? <p className="problem__detail">{problem.detail}</p> : null}
      {problem.errors?.length ? (
        <ul className="problem__errors">
          {problem.errors.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              <code>{e.path}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      {children}
    </div>
  );
}
