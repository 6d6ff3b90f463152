import type { RunQueryResult } from '@access-monitor/contracts';
import { formatCount } from '../../../components/number-format';
import { severitySummary } from '../report-view';
import { severityLabel } from './severity-badge';

/** One tile per severity: findings with rows, their rows, and queries that failed (never shown as zero). */
export function SeveritySummary({ queries }: { queries: readonly RunQueryResult[] }) {
  return (
    <ul className="severity-summary" aria-label="Findings by severity" data-testid="severity-summary">
      {severitySummary(queries).map((s) => (
        <li key={s.severity} className={`severity-tile severity-tile--${s.severity}`} data-testid={`severity-${s.severity}`}>
          <span className="severity-tile__label">{severityLabel(s.severity)}</span>
          <span className="severity-tile__value">
            {formatCount(s.findings)} <span className="severity-tile__unit">{s.findings === 1 ? 'finding' : 'findings'}</span>
          </span>
          <span className="severity-tile__hint">
            {formatCount(s.rows)} {s.rows === 1 ? 'row' : 'rows'}
            {s.failed > 0 ? <span className="severity-tile__failed"> · {s.failed} failed</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}
