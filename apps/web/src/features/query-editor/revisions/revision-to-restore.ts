import type { SavedQuery } from '@access-monitor/contracts';

/** What "Restore" on a deleted query brings back: its last saved revision before the tombstone (revisions oldest first). */
export const revisionToRestore = (revisions: readonly SavedQuery[], tombstone: Pick<SavedQuery, 'revision'>): SavedQuery | undefined =>
  revisions.filter((r) => !r.deleted && r.revision < tombstone.revision).at(-1);
