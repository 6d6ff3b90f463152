import type { ObjectStore } from '@access-monitor/storage';
import { SavedQuery, savedQueryEtag, type SaveQuery } from '@access-monitor/contracts';
import { createRevisionedDocuments } from '../revisions/revisioned-documents';
import { SAVED_QUERIES_PREFIX } from '../store-layout';

export const etagOf = savedQueryEtag;

/**
 * Saved audit queries as immutable revisions (`queries/<name>/rev-<n>.json`), each written
 * create-only: two saves based on the same revision race for the same key and exactly one wins.
 * Delete is a tombstone revision, so nothing is ever lost and a delete can be undone.
 */
export function createSavedQueries(store: ObjectStore) {
  return createRevisionedDocuments<SavedQuery, SaveQuery>(store, { prefix: SAVED_QUERIES_PREFIX, noun: 'saved query', parse: (v) => SavedQuery.parse(v), etag: savedQueryEtag });
}
export type SavedQueries = ReturnType<typeof createSavedQueries>;
