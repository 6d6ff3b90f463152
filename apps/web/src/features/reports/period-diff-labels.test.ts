import { describe, expect, it } from 'vitest';
import { diffComparable, diffKindLabels } from './period-diff-labels';

describe('diffKindLabels', () => {
  it('never calls an event finding resolved', () => {
    const labels = diffKindLabels({ findingKind: 'event' }).map((k) => k.label);
    expect(labels).toEqual(['New this period', 'Also in the previous period', 'Not seen this period']);
    expect(labels).not.toContain('Resolved');
  });

  it('keeps New / Persisting / Resolved for conditions and for runs that name no kind', () => {
    expect(diffKindLabels({ findingKind: 'condition' }).map((k) => k.label)).toEqual(['New', 'Persisting', 'Resolved']);
    expect(diffKindLabels({}).map((k) => k.label)).toEqual(['New', 'Persisting', 'Resolved']);
  });
});

describe('diffComparable', () => {
  it('withholds the comparison when the previous period has days without data', () => {
    expect(diffComparable({ previousComplete: false })).toBe(false);
    expect(diffComparable({ previousComplete: true })).toBe(true);
    expect(diffComparable({})).toBe(true);
  });
});
