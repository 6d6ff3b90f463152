import type { UsageOverview } from '@access-monitor/contracts';
import { formatCount, formatShare } from '../../../components/number-format';

interface Tile {
  testId: string;
  label: string;
  value: (t: UsageOverview['totals']) => string;
  hint?: (t: UsageOverview['totals']) => string;
}

const TILES: readonly Tile[] = [
  { testId: 'total-sessions', label: 'Sessions', value: (t) => formatCount(t.sessions) },
  { testId: 'total-users', label: 'Active users', value: (t) => formatCount(t.users) },
  {
    testId: 'total-mfa-coverage',
    label: 'MFA coverage',
    value: (t) => formatShare(t.sessionsWithMfa, t.sessions),
    hint: (t) => `${formatCount(t.sessionsWithMfa)} of ${formatCount(t.sessions)} sessions with per-session MFA`,
  },
  { testId: 'total-logins', label: 'Logins', value: (t) => formatCount(t.logins) },
  {
    testId: 'total-failed-logins',
    label: 'Failed logins',
    value: (t) => formatCount(t.failedLogins),
    hint: (t) => `${formatShare(t.failedLogins, t.logins + t.failedLogins)} of login attempts`,
  },
];

/** Headline numbers for the window; each value is the plain number, so tests and screen readers read it as is. */
export function TotalsTiles({ totals }: { totals: UsageOverview['totals'] | undefined }) {
  return (
    <ul className="tiles" aria-label="Totals for the window" aria-busy={!totals}>
      {TILES.map((tile) => (
        <li key={tile.testId} className="card tile">
          <span className="tile__label">{tile.label}</span>
          <span className="tile__value" data-testid={tile.testId}>
            {totals ? tile.value(totals) : '—'}
          </span>
          {totals && tile.hint ? <span className="tile__hint">{tile.hint(totals)}</span> : null}
        </li>
      ))}
    </ul>
  );
}
