import type { FindingEntity, PeriodDiff } from '@access-monitor/contracts';
import { formatCount } from '../../../components/number-format';
import { formatUtcDayLong } from '../../../components/time-format';

const KINDS = [
  { key: 'new', countKey: 'newCount', label: 'New', hint: 'not seen in the previous window' },
  { key: 'persisting', countKey: 'persistingCount', label: 'Persisting', hint: 'also in the previous window' },
  { key: 'resolved', countKey: 'resolvedCount', label: 'Resolved', hint: 'in the previous window, not in this one' },
] as const;

/** Who the finding is about compared with the previous window of the same length: new, persisting, resolved. */
export function PeriodDiffView({ diff }: { diff: PeriodDiff }) {
  return (
    <div className="period-diff" data-testid="period-diff">
      <p className="period-diff__title">
        Compared with {formatUtcDayLong(diff.previousWindow.start)} – {formatUtcDayLong(diff.previousWindow.end)}{' '}
        <span className="muted">(by {diff.entityColumns.join(' + ')})</span>
      </p>
      <div className="period-diff__kinds">
        {KINDS.map(({ key, countKey, label, hint }) => {
          const count = diff[countKey];
          const entities = diff[key];
          return (
            <details key={key} className={`period-diff__kind period-diff__kind--${key}`} data-testid={`diff-${key}`}>
              <summary title={hint}>
                <span className="period-diff__count">{formatCount(count)}</span> {label}
              </summary>
              {count === 0 ? (
                <p className="muted">None.</p>
              ) : (
                <>
                  <ul className="period-diff__entities">
                    {entities.map((e, i) => (
                      <li key={i}>{entityText(e, diff.entityColumns)}</li>
                    ))}
                  </ul>
                  {entities.length < count ? (
                    <p className="muted">
                      The first {formatCount(entities.length)} of {formatCount(count)}.
                    </p>
                  ) : null}
                </>
              )}
            </details>
          );
        })}
      </div>
    </div>
  );
}

const entityText = (entity: FindingEntity, columns: readonly string[]) =>
  (columns.length > 0 ? columns : Object.keys(entity)).map((c) => entity[c] ?? '∅').join(' · ');
