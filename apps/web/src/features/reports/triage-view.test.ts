import { describe, expect, it } from 'vitest';
import { describeEntity, entityOfRow, fieldProblem, triageBadgeText, triagedCounts, triageTooltip, utcDayAfter } from './triage-view';

const COLUMNS = [
  { name: 'event_time', type: 'timestamp' },
  { name: 'db_service', type: 'varchar' },
  { name: 'user', type: 'varchar' },
  { name: 'port', type: 'integer' },
];

describe('entityOfRow', () => {
  it("takes the entity columns' values in their order, as text, NULL as null", () => {
    expect(entityOfRow(COLUMNS, ['2026-01-01 10:00:00.000', 'pg-prod', 'alice', 5432], ['user', 'db_service'])).toEqual({ user: 'alice', db_service: 'pg-prod' });
    expect(entityOfRow(COLUMNS, ['2026-01-01 10:00:00.000', null, 'bob', 5432], ['user', 'port', 'db_service'])).toEqual({ user: 'bob', port: '5432', db_service: null });
  });

  it('has no entity when a column is not in the page', () => {
    expect(entityOfRow(COLUMNS, ['x', 'pg', 'alice', 1], ['user', 'kubernetes_cluster'])).toBeUndefined();
  });
});

describe('triage badges', () => {
  const accepted = { status: 'accepted_risk' as const, expires: '2026-12-31', reason: 'vendor migration', savedBy: 'editor', savedAt: '2026-01-14T12:34:56.000Z', entity: { user: 'alice' } };

  it('says until when a risk is accepted, and why', () => {
    expect(triageBadgeText(accepted)).toBe('Accepted risk until 2026-12-31 — vendor migration');
    expect(triageBadgeText({ status: 'false_positive', reason: 'test account' })).toBe('False positive — test account');
  });

  it('tells in the tooltip who marked it, when, for which entity and when it returns', () => {
    expect(triageTooltip(accepted)).toBe(
      'Accepted risk until 2026-12-31 — vendor migration\nMarked by editor on 2026-01-14 12:34 UTC for user alice. It counts as open again from the day after 2026-12-31 (UTC).',
    );
    expect(describeEntity({ user: 'bob', db_service: null })).toBe('user bob, db_service NULL');
  });
});

describe('triagedCounts', () => {
  it('shows open and triaged rows only when something is triaged', () => {
    expect(triagedCounts({ openRowCount: 12, triagedRowCount: 3 })).toEqual({ open: 12, triaged: 3 });
    expect(triagedCounts({ openRowCount: 15, triagedRowCount: 0 })).toBeUndefined();
    expect(triagedCounts({})).toBeUndefined();
  });
});

describe('expiry days', () => {
  it('offers a UTC day ahead, and reads the refusal of the field from the problem', () => {
    expect(utcDayAfter(new Date('2026-01-14T23:30:00Z'), 30)).toBe('2026-02-13');
    expect(fieldProblem({ errors: [{ path: 'expires', message: 'expires must be a day from 2026-01-14 to 2026-04-14' }] }, 'expires')).toContain('2026-04-14');
    expect(fieldProblem({ errors: [{ path: 'entity', message: 'x' }] }, 'expires')).toBeUndefined();
  });
});
