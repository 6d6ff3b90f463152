import { isForbidden } from '../lib/session/session-problems';
import { ForbiddenPanel } from './forbidden-panel';
import { ProblemPanel, toProblem } from './problem-panel';

/** A failed query or mutation as the user reads it: the forbidden panel for a 403, the problem panel for anything else. */
export function ApiProblem({ error, testId }: { error: unknown; testId?: string }) {
  if (isForbidden(error)) return <ForbiddenPanel problem={toProblem(error)} />;
  return <ProblemPanel problem={toProblem(error)} testId={testId} />;
}
