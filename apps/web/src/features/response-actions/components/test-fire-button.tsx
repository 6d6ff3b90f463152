import { ApiProblem } from '../../../components/api-problem';
import { useFireAction } from '../api';
import { FiringStateBadge } from './firing-state-badge';

/**
 * "Test fire": runs the rule now and sends what it finds to its destinations, responses only dry-run. The server
 * answers once the firing ended, so the outcome shows here and at the top of the history.
 */
export function TestFireButton({ name, disabledReason }: { name: string; disabledReason?: string }) {
  const fire = useFireAction(name);
  return (
    <span className="test-fire">
      <button
        type="button"
        className="btn btn--secondary"
        onClick={() => fire.mutate({ test: true })}
        disabled={fire.isPending || disabledReason !== undefined}
        title={disabledReason}
        data-testid="test-fire"
      >
        {fire.isPending ? (
          <>
            <span className="spinner" aria-hidden="true" /> Test firing…
          </>
        ) : (
          'Test fire'
        )}
      </button>
      <span role="status" className="test-fire__status" data-testid="test-fire-status">
        {fire.isSuccess ? (
          <>
            Test fire: <FiringStateBadge state={fire.data.state} testId="test-fire-state" />
          </>
        ) : null}
      </span>
      {fire.isError ? <ApiProblem error={fire.error} testId="test-fire-problem" /> : null}
    </span>
  );
}
