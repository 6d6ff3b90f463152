import { ProblemTypes, SavedQuery, type SaveQuery } from '@access-monitor/contracts';
import { ApiError } from '../../api/client';
import type { SavedQueryAt } from '../../api/endpoints';

/** Someone saved the query after this page loaded it: their revision, and the ETag to overwrite it deliberately. */
export interface SaveConflict {
  theirs: SavedQueryAt;
}

/**
 * The conflict in a failed update, from the 409 problem's `current` and `currentEtag`; undefined for any other
 * failure, or a 409 that does not say what the current revision is (then there is nothing to compare).
 */
export function saveConflictOf(error: unknown): SaveConflict | undefined {
  if (!(error instanceof ApiError) || error.status !== 409 || error.type !== ProblemTypes.conflict) return undefined;
  const { current, currentEtag } = error.problem;
  const parsed = SavedQuery.safeParse(current);
  if (!parsed.success || !currentEtag) return undefined;
  return { theirs: { query: parsed.data, etag: currentEtag } };
}

type Compared = Pick<SaveQuery, 'title' | 'description' | 'sql' | 'days' | 'chart'>;

const FIELDS: readonly { label: string; differs: (mine: Compared, theirs: Compared) => boolean }[] = [
  { label: 'SQL', differs: (a, b) => a.sql !== b.sql },
  { label: 'window', differs: (a, b) => a.days !== b.days },
  { label: 'title', differs: (a, b) => a.title !== b.title },
  { label: 'description', differs: (a, b) => a.description !== b.description },
  { label: 'chart', differs: (a, b) => JSON.stringify(a.chart) !== JSON.stringify(b.chart) },
];

/** What differs between the user's version and theirs, in the order the conflict panel names them. */
export const conflictingFields = (mine: Compared, theirs: Compared): string[] =>
  FIELDS.filter((field) => field.differs(mine, theirs)).map((field) => field.label);
