import { describe, expect, it } from 'vitest';
import { ProblemTypes, type SavedQuery } from '@access-monitor/contracts';
import { ApiError } from '../../api/client';
import { conflictingFields, saveConflictOf } from './save-conflict';

const theirs: SavedQuery = {
  name: 'root-sessions',
  title: 'Root sessions',
  description: '',
  sql: "SELECT * FROM session_start WHERE login = 'root'",
  days: 30,
  chart: null,
  revision: 3,
  savedBy: 'alice',
  savedAt: '2024-05-01T12:00:00.000Z',
  deleted: false,
};

const conflict = (extra: Record<string, unknown>) =>
  new ApiError({ type: ProblemTypes.conflict, title: 'Conflicting edit', status: 409, detail: 'query root-sessions is at revision 3', ...extra });

describe('saveConflictOf', () => {
  it('reads their revision and its ETag from the 409 problem', () => {
    expect(saveConflictOf(conflict({ currentRevision: 3, currentEtag: '"root-sessions.r3"', current: theirs }))).toEqual({
      theirs: { query: theirs, etag: '"root-sessions.r3"' },
    });
  });

  it('is not a conflict to resolve when the problem does not carry the current revision', () => {
    expect(saveConflictOf(conflict({}))).toBeUndefined();
    expect(saveConflictOf(conflict({ currentEtag: '"root-sessions.r3"', current: { sql: 'SELECT 1' } }))).toBeUndefined();
    expect(saveConflictOf(conflict({ current: theirs }))).toBeUndefined();
  });

  it('ignores every other failure', () => {
    expect(saveConflictOf(new ApiError({ type: ProblemTypes.notFound, title: 'Not found', status: 404 }))).toBeUndefined();
    expect(saveConflictOf(new Error('offline'))).toBeUndefined();
  });
});

describe('conflictingFields', () => {
  it('names what differs between the two versions, SQL first', () => {
    const mine = { ...theirs, sql: 'SELECT 1', days: 7, title: 'Mine' };
    expect(conflictingFields(mine, theirs)).toEqual(['SQL', 'window', 'title']);
  });

  it('is empty when both saved the same thing', () => {
    expect(conflictingFields({ ...theirs }, theirs)).toEqual([]);
  });

  it('compares charts by content', () => {
    const chart = { type: 'line' as const, x: 'day', y: 'n' };
    expect(conflictingFields({ ...theirs, chart: { ...chart } }, { ...theirs, chart })).toEqual([]);
    expect(conflictingFields({ ...theirs, chart }, theirs)).toEqual(['chart']);
  });
});
