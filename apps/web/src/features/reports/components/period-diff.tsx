import type { FindingEntity, PeriodDiff } from '@access-monitor/contracts';
import { formatCount } from '../../../components/number-format';
import { formatUtcDayLong } from '../../../components/time-format';
import { diffComparable, diffKindLabels } from '../period-diff-labels';

/** Who the finding is about compared with the previous window of the same length, worded for the finding's kind. */
export function PeriodDiffView({ diff }: { diff: PeriodDiff }) {
  const period = (
    <>
      {formatUtcDayLong(diff.previousWindow.start)} – {formatUtcDayLong(diff.previousWindow.end)}
    </>
  );
  if (!diffComparable(diff)) {
    return (
      <div className="period-diff" data-testid="period-diff">
        <p className="period-diff__title muted" data-testid="diff-incomplete">
          No comparison with the previous period ({period}): the previous period has no complete data (days without any event), so every finding would read as new.
        </p>
      </div>
    );
  }
  return (
    <div className="period-diff" data-testid="period-diff">
      <p className="period-diff__title">
        Compared with {period} <span className="muted">(by {diff.entityColumns.join(' + ')})</span>
      </p>
      <div className="period-diff__kinds">
        {diffKindLabels(diff).map(({ key, countKey, label, hint }) => {
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
