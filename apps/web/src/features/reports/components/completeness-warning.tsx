import type { DataCompleteness } from '@access-monitor/contracts';
import { formatUtcDayLong } from '../../../components/time-format';

/** Days of the window without any audit event: findings there would be missing, so say which. */
export function CompletenessWarning({ completeness }: { completeness: DataCompleteness }) {
  const missing = completeness.missingDays;
  if (completeness.unknown !== undefined) {
    return (
      <div className="notice completeness-warning" role="note" data-testid="completeness-warning">
        <p>
          <strong>Which days of this window hold audit events is unknown</strong> — the check could not run: {completeness.unknown}
        </p>
      </div>
    );
  }
  if (missing.length === 0) return null;
  return (
    <div className="notice completeness-warning" role="note" data-testid="completeness-warning">
      <p>
        <strong>
          {missing.length === 1 ? '1 day' : `${missing.length} days`} of this window had no audit events
        </strong>{' '}
        — findings on {missing.length === 1 ? 'that day' : 'those days'} cannot appear. Check that the audit log was collected.
      </p>
      <details>
        <summary>Missing days (UTC)</summary>
        <ul className="completeness-warning__days">
          {missing.map((d) => (
            <li key={d}>
              <time dateTime={d}>{formatUtcDayLong(d)}</time>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
