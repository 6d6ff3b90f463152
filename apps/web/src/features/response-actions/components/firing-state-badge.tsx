import type { FiringState } from '@access-monitor/contracts';

const LOOKS: Record<FiringState, { label: string; modifier: string }> = {
  RUNNING: { label: 'Running', modifier: 'running' },
  NOTHING_TO_SEND: { label: 'Nothing to send', modifier: 'idle' },
  DELIVERED: { label: 'Delivered', modifier: 'succeeded' },
  PARTIALLY_DELIVERED: { label: 'Partially delivered', modifier: 'cancelled' },
  FAILED: { label: 'Failed', modifier: 'failed' },
};

/** A firing's state (or a delivery's: DELIVERED, FAILED) in words and colour. */
export function FiringStateBadge({ state, testId = 'firing-state' }: { state: FiringState; testId?: string }) {
  const look = LOOKS[state];
  return (
    <span className={`state-badge state-badge--${look.modifier}`} data-testid={testId} data-state={state}>
      {state === 'RUNNING' ? <span className="spinner" aria-hidden="true" /> : null}
      {look.label}
    </span>
  );
}
