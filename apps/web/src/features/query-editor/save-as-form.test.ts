import { describe, expect, it } from 'vitest';
import { ProblemTypes, QUERY_NAME_RULE } from '@access-monitor/contracts';
import { ApiError } from '../../api/client';
import { NAME_RULE_HINT, queryNameError, saveAsFailure, suggestQueryName, validateSaveAs } from './save-as-form';

describe('queryNameError', () => {
  it('accepts what the contract accepts', () => {
    for (const name of ['ssh-without-mfa', 'root_sessions', '7-day-logins', 'a', 'x'.repeat(63)]) expect(queryNameError(name)).toBeUndefined();
  });

  it('asks for a name when there is none', () => {
    expect(queryNameError('')).toBe('Enter a name for the query.');
  });

  it('says which part of the rule a name breaks', () => {
    expect(queryNameError('Root-Sessions')).toBe('Use lowercase letters only.');
    expect(queryNameError('-root')).toBe('Start the name with a letter or digit.');
    expect(queryNameError('x'.repeat(64))).toBe('The name is 64 characters; at most 63 are allowed.');
    expect(queryNameError('root sessions')).toBe('Spaces cannot be used.');
    expect(queryNameError('root.sessions/v2')).toBe('“.” and “/” cannot be used.');
  });

  it('refuses "new", which is the address of the editor itself', () => {
    expect(queryNameError('new')).toMatch(/reserved/);
  });

  it('states the rule as a sentence for the hint under the field', () => {
    expect(NAME_RULE_HINT).toBe('A query name is 1–63 characters of a-z, 0-9, - and _, starting with a letter or digit.');
  });
});

describe('validateSaveAs', () => {
  it('lets a named, titled query through', () => {
    expect(validateSaveAs({ name: 'root-sessions', title: 'Root sessions', description: '' })).toEqual({});
  });

  it('reports every field that stops the save', () => {
    expect(validateSaveAs({ name: 'Bad Name', title: '   ', description: 'x'.repeat(2001) })).toEqual({
      name: 'Uppercase letters and spaces cannot be used.',
      title: 'Enter a title.',
      description: 'At most 2000 characters.',
    });
  });
});

describe('suggestQueryName', () => {
  it('turns a title into a valid name', () => {
    expect(suggestQueryName('SSH sessions without MFA')).toBe('ssh-sessions-without-mfa');
    expect(suggestQueryName('  Logins — per day (UTC)! ')).toBe('logins-per-day-utc');
    expect(suggestQueryName('Événements réseau')).toBe('evenements-reseau');
  });

  it('never ends a cut-off name on a dash', () => {
    const name = suggestQueryName(`${'a'.repeat(62)} b`);
    expect(name).toBe('a'.repeat(62));
    expect(queryNameError(name)).toBeUndefined();
  });

  it('suggests nothing when the title has no letters or digits to use', () => {
    expect(suggestQueryName('!!! ???')).toBe('');
  });
});

describe('saveAsFailure', () => {
  it('says the name is taken on a 409 conflict', () => {
    const conflict = new ApiError({ type: ProblemTypes.conflict, title: 'Conflicting edit', status: 409, detail: 'a query named root already exists' });
    expect(saveAsFailure(conflict, 'root')).toBe('A query named root already exists. Choose another name.');
  });

  it('lists per-field errors the server found', () => {
    const invalid = new ApiError({
      type: ProblemTypes.invalidRequest,
      title: 'Invalid request',
      status: 400,
      detail: 'name: …',
      errors: [{ path: 'name', message: QUERY_NAME_RULE }],
    });
    expect(saveAsFailure(invalid, 'Bad')).toBe(`Invalid request: ${QUERY_NAME_RULE}`);
  });

  it('passes any other problem on with its detail', () => {
    const forbidden = new ApiError({ type: ProblemTypes.forbidden, title: 'Forbidden', status: 403, detail: 'needs create on audit_query' });
    expect(saveAsFailure(forbidden, 'root')).toBe('Forbidden: needs create on audit_query');
  });
});
