import { describe, expect, it } from 'vitest';
import type { RunQueryResult } from '@access-monitor/contracts';
import { ACCESS_RISK_REPORT } from '@access-monitor/reports';
import { distinctEntities, periodDiff, withPreviousCompleteness } from './period-diff';

const PREVIOUS = { start: '2026-01-01', end: '2026-01-07' };

describe('periodDiff', () => {
  it('says which kind of finding it compares, so an event finding is never called resolved', () => {
    const diff = periodDiff(['user'], PREVIOUS, [{ user: 'carol' }], [{ user: 'alice' }], 'event');
    expect(diff).toMatchObject({ newCount: 1, resolvedCount: 1, findingKind: 'event' });
    expect(periodDiff(['user'], PREVIOUS, [], []).findingKind).toBe('condition');
  });

  it('marks one-off findings such as lock removals as events, and weak-security sessions as conditions', () => {
    const kind = (id: string) => ACCESS_RISK_REPORT.queries.find((q) => q.id === id)?.kind ?? 'condition';
    expect(kind('lock_removals')).toBe('event');
    expect(kind('role_changes')).toBe('event');
    expect(kind('logins_without_mfa')).toBe('condition');
  });
});

describe('withPreviousCompleteness', () => {
  it("records on every diff whether the previous window held data on every day, and leaves findings without a diff alone", () => {
    const diff = periodDiff(['user'], PREVIOUS, [{ user: 'carol' }], []);
    const withDiff = { id: 'a', diff } as unknown as RunQueryResult;
    const without = { id: 'b' } as unknown as RunQueryResult;
    const [a, b] = withPreviousCompleteness([withDiff, without], false);
    expect(a!.diff?.previousComplete).toBe(false);
    expect(b).toBe(without);
    expect(withPreviousCompleteness([withDiff], true)[0]!.diff?.previousComplete).toBe(true);
  });
});

describe('distinctEntities', () => {
  it('lists each entity once, in the order first seen, telling a NULL from an empty value', () => {
    const entities = distinctEntities(['user', 'db_service']);
    for (const row of [['alice', 'pg'], [null, 'pg'], ['alice', 'pg'], ['', 'pg'], [null, 'pg']]) entities.add(row);
    expect(entities.list()).toEqual([
      { user: 'alice', db_service: 'pg' },
      { user: null, db_service: 'pg' },
      { user: '', db_service: 'pg' },
    ]);
  });

  it('tells apart values that would read alike joined together, and the text "null" from NULL', () => {
    const entities = distinctEntities(['a', 'b', 'c']);
    for (const row of [['x', 'yz', null], ['xy', 'z', null], ['x', 'yz', 'null'], ['x', 'yz', null]]) entities.add(row);
    expect(entities.list()).toEqual([
      { a: 'x', b: 'yz', c: null },
      { a: 'xy', b: 'z', c: null },
      { a: 'x', b: 'yz', c: 'null' },
    ]);
    const single = distinctEntities(['user']);
    for (const row of [['bob'], [null], ['bob'], ['null']]) single.add(row);
    expect(single.list()).toEqual([{ user: 'bob' }, { user: null }, { user: 'null' }]);
  });
});
