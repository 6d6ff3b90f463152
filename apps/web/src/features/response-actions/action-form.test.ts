import { describe, expect, it } from 'vitest';
import { ProblemTypes, type ResponseAction } from '@access-monitor/contracts';
import { ApiError } from '../../api/client';
import {
  actionConflictOf,
  actionFromForm,
  EMPTY_FORM,
  fieldOfPath,
  formFromAction,
  newActionForm,
  parseDraft,
  placeErrors,
  saveFailureErrors,
  serializeDraft,
  suggestActionName,
  validateForm,
} from './action-form';

const DESTINATIONS = [
  { name: 'soc-webhook', type: 'webhook' as const },
  { name: 'oncall', type: 'pagerduty' as const },
];

const saved: ResponseAction = {
  name: 'weak-ssh-alert',
  revision: 3,
  savedBy: 'editor',
  savedAt: '2024-05-01T12:00:00.000Z',
  deleted: false,
  description: 'SSH without MFA',
  source: { finding: 'privilege_access_report/ssh_sessions_with_weak_security' },
  window: '30d',
  schedule: { cron: '0 9 * * 1-5' },
  condition: { new_rows: { key: ['user', 'session_id'] } },
  notifications: [{ name: 'soc-webhook', recipients: ['#soc', '#security'] }],
  response: { teleport_lock: { ttl: '12h', message: 'Weak SSH', dry_run: false } },
  enabled: false,
};

describe('newActionForm', () => {
  it('prefills a rule from a finding: named after it, every hour over 7 days, new rows, to the first destination', () => {
    const form = newActionForm('privilege_access_report/ssh_sessions_with_weak_security', DESTINATIONS);
    expect(form).toMatchObject({
      name: 'ssh_sessions_with_weak_security-alert',
      source: 'finding:privilege_access_report/ssh_sessions_with_weak_security',
      schedule: 'interval',
      interval: '1h',
      window: '7d',
      condition: 'new_rows',
      notifications: [{ name: 'soc-webhook', recipients: '' }],
    });
    expect(validateForm(form, { isNew: true })).toEqual({});
  });

  it('ignores a source parameter that is not <report>/<finding id>', () => {
    expect(newActionForm('../etc', []).source).toBe('');
    expect(newActionForm(null, []).notifications).toEqual([]);
  });
});

describe('suggestActionName', () => {
  it('cuts the name to 63 characters without a dangling separator', () => {
    const name = suggestActionName(`${'a'.repeat(59)}_x`);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9][a-z0-9_-]*[a-z0-9]$/);
  });
});

describe('form ⇄ action', () => {
  it('gives back the saved spec after a round trip through the form', () => {
    const { name: _n, revision: _r, savedBy: _b, savedAt: _a, deleted: _d, ...spec } = saved;
    expect(actionFromForm(formFromAction(saved))).toEqual(spec);
  });

  it('splits recipients and key columns typed with commas or spaces, and leaves out an empty key', () => {
    const body = actionFromForm({ ...EMPTY_FORM, source: 'query:weekly', notifications: [{ name: 'soc-webhook', recipients: ' #a, #b  #c ' }] });
    expect(body.source).toEqual({ audit_query: 'weekly' });
    expect(body.notifications).toEqual([{ name: 'soc-webhook', recipients: ['#a', '#b', '#c'] }]);
    expect(body.condition).toEqual({ new_rows: {} });
    expect(body.response).toBeUndefined();
  });
});

describe('validateForm', () => {
  it('names each field that is wrong', () => {
    const errors = validateForm(
      { ...EMPTY_FORM, name: 'New Rule', interval: 'hourly', condition: 'row_count_at_least', minRows: '0', lock: true, lockTtl: 'forever' },
      { isNew: true },
    );
    expect(Object.keys(errors).sort()).toEqual(['condition', 'lock.ttl', 'name', 'schedule', 'source']);
    expect(errors.schedule).toBe('Expected an interval such as 15m, 1h or 1d.');
  });

  it('refuses the reserved name "new" and a cron expression without 5 fields', () => {
    const errors = validateForm({ ...EMPTY_FORM, name: 'new', source: 'query:q', schedule: 'cron', cron: '0 9 * *' }, { isNew: true });
    expect(errors.name).toMatch(/reserved/);
    expect(errors.schedule).toMatch(/5 fields/);
  });
});

describe('server errors beside their fields', () => {
  const body = actionFromForm({ ...EMPTY_FORM, source: 'query:q', notifications: [{ name: 'soc-webhook', recipients: '' }, { name: 'gone', recipients: '' }] });

  it('maps body paths to fields, and a notification index to its destination', () => {
    expect(fieldOfPath('body.schedule.cron', body)).toBe('schedule');
    expect(fieldOfPath('body.notifications.1.name', body)).toBe('destination:gone');
    expect(fieldOfPath('body.response.teleport_lock.ttl', body)).toBe('lock.ttl');
    expect(fieldOfPath('params.name', body)).toBe('name');
    expect(fieldOfPath('query.limit', body)).toBe('form');
  });

  it('joins several messages for one field into sentences', () => {
    expect(
      placeErrors(
        [
          { path: 'body.schedule.cron', message: 'cron "x" must have 5 fields' },
          { path: 'body.schedule', message: 'invalid' },
        ],
        body,
      ),
    ).toEqual({ schedule: 'Cron "x" must have 5 fields. Invalid.' });
  });
});

describe('saveFailureErrors', () => {
  const body = actionFromForm({ ...EMPTY_FORM, source: 'query:q', notifications: [{ name: 'nowhere', recipients: '' }] });

  it('puts a 400 naming fields beside them, and a 409 on create beside the name', () => {
    const invalid = new ApiError({
      type: ProblemTypes.invalidRequest,
      title: 'Invalid request',
      status: 400,
      errors: [{ path: 'body.notifications.0.name', message: 'no destination nowhere is declared under actions.destinations' }],
    });
    expect(saveFailureErrors(invalid, body, { isNew: false, name: 'r' })).toEqual({
      'destination:nowhere': 'No destination nowhere is declared under actions.destinations.',
    });
    const taken = new ApiError({ type: ProblemTypes.conflict, title: 'Conflict', status: 409 });
    expect(saveFailureErrors(taken, body, { isNew: true, name: 'r' })).toEqual({ name: 'A rule named r already exists. Choose another name.' });
  });

  it('leaves a conflict with a newer revision and other failures to the page', () => {
    expect(saveFailureErrors(new ApiError({ type: ProblemTypes.conflict, title: 'Conflict', status: 409 }), body, { isNew: false, name: 'r' })).toBeUndefined();
    expect(saveFailureErrors(new ApiError({ type: ProblemTypes.forbidden, title: 'Forbidden', status: 403 }), body, { isNew: true, name: 'r' })).toBeUndefined();
  });
});

describe('drafts', () => {
  it('restores a stored draft and drops fields of the wrong type', () => {
    const draft = { base: 3, form: { ...EMPTY_FORM, name: 'x', interval: '15m' } };
    expect(parseDraft(serializeDraft(draft))).toEqual(draft);
    expect(parseDraft('{"base":"3","form":{"name":7,"window":"1y","notifications":[{"name":"a","recipients":""},{"name":1}]}}')).toEqual({
      base: null,
      form: { ...EMPTY_FORM, notifications: [{ name: 'a', recipients: '' }] },
    });
    expect(parseDraft('not json')).toBeUndefined();
    expect(parseDraft(null)).toBeUndefined();
  });
});

describe('actionConflictOf', () => {
  it('reads their revision from a 409 conflict, with its ETag', () => {
    const error = new ApiError({ type: ProblemTypes.conflict, title: 'Conflict', status: 409, current: saved });
    expect(actionConflictOf(error)?.theirs.etag).toBe('"weak-ssh-alert.r3"');
    expect(actionConflictOf(new ApiError({ type: ProblemTypes.invalidRequest, title: 'Bad', status: 400 }))).toBeUndefined();
  });
});
