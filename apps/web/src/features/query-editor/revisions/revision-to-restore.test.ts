import { describe, expect, it } from 'vitest';
import type { SavedQuery } from '@access-monitor/contracts';
import { revisionToRestore } from './revision-to-restore';

const rev = (revision: number, deleted = false): SavedQuery => ({
  name: 'weak-ssh',
  revision,
  title: 'Weak SSH',
  description: '',
  sql: `SELECT ${revision}`,
  days: 7,
  chart: null,
  savedBy: 'editor',
  savedAt: '2024-05-01T00:00:00Z',
  deleted,
});

describe('revisionToRestore', () => {
  it('picks the last saved revision before the tombstone', () => {
    expect(revisionToRestore([rev(1), rev(2), rev(3, true)], rev(3, true))?.revision).toBe(2);
  });

  it('skips an earlier deletion and anything after the tombstone on screen', () => {
    const history = [rev(1), rev(2, true), rev(3), rev(4, true), rev(5), rev(6, true)];
    expect(revisionToRestore(history, rev(4, true))?.revision).toBe(3);
    expect(revisionToRestore(history, rev(2, true))?.revision).toBe(1);
  });

  it('finds nothing when no saved revision precedes the tombstone', () => {
    expect(revisionToRestore([rev(1, true)], rev(1, true))).toBeUndefined();
  });
});
