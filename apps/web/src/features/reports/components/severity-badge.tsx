import type { Severity } from '@access-monitor/contracts';

const LABELS: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

export const severityLabel = (severity: Severity): string => LABELS[severity];

/** The finding's severity in words (colour only repeats what the word says). */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span className={`severity-badge severity-badge--${severity}`} data-testid="severity-badge">
      {LABELS[severity]}
    </span>
  );
}
