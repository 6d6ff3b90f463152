import type { FindingEntity, TriageRecord, TriageStatus } from '@access-monitor/contracts';
import { describeEntity, triageBadgeText, triageTooltip } from '../triage-view';

interface TriageCellProps {
  /** The exception in force for the row's entity, or null when it is open. */
  record: TriageRecord | null;
  entity: FindingEntity;
  /** Whether the user's roles allow update on security_report; the server judges again. */
  canTriage: boolean;
  onTriage: (status: TriageStatus) => void;
}

/** A finding row's triage: its status badge when triaged, and (for those who may) accept, mark false positive or reopen. */
export function TriageCell({ record, entity, canTriage, onTriage }: TriageCellProps) {
  const who = describeEntity(entity);
  if (record) {
    return (
      <span className="triage-cell">
        <span
          className={`triage-badge triage-badge--${record.status === 'accepted_risk' ? 'accepted' : 'false-positive'}`}
          title={triageTooltip(record)}
          data-testid="triage-badge"
        >
          {triageBadgeText(record)}
        </span>
        {canTriage ? (
          <button type="button" className="btn btn--small btn--secondary" aria-haspopup="dialog" onClick={() => onTriage('open')} data-testid="triage-reopen">
            Reopen<span className="sr-only"> {who}</span>
          </button>
        ) : null}
      </span>
    );
  }
  if (!canTriage) return null;
  return (
    <span className="triage-cell">
      <button
        type="button"
        className="btn btn--small btn--secondary"
        aria-haspopup="dialog"
        title={`Stop counting ${who} in this finding until a day you choose`}
        onClick={() => onTriage('accepted_risk')}
        data-testid="triage-accept"
      >
        Accept risk<span className="sr-only"> of {who}</span>
      </button>
      <button
        type="button"
        className="btn btn--small btn--secondary"
        aria-haspopup="dialog"
        title={`Stop counting ${who} in this finding: the audit query should not have matched`}
        onClick={() => onTriage('false_positive')}
        data-testid="triage-false-positive"
      >
        False positive<span className="sr-only">: {who}</span>
      </button>
    </span>
  );
}
