import { describe, expect, it } from 'vitest';
import { allows, PERMISSIONS } from '@access-monitor/rbac';
import { accessOf, effectiveVerbsOf, hasNoAccess, presetRoleFor } from './access';

const auditorVerbs = { security_report: ['list', 'read', 'use'], audit_query: ['list', 'read', 'use'], response_action: ['list', 'read'] };

describe('accessOf', () => {
  it('lets an auditor run reports and queries but not save them', () => {
    const access = accessOf({ verbs: auditorVerbs });
    expect(allows(access, PERMISSIONS.runReport)).toBe(true);
    expect(allows(access, PERMISSIONS.runQuery)).toBe(true);
    expect(allows(access, PERMISSIONS.createQuery)).toBe(false);
  });

  it('grants nothing for kinds the answer leaves out', () => {
    const access = accessOf({ verbs: { audit_query: ['use'] } });
    expect(allows(access, PERMISSIONS.runQuery)).toBe(true);
    expect(allows(access, PERMISSIONS.runReport)).toBe(false);
  });
});

describe('effectiveVerbsOf', () => {
  it('drops verbs and kinds the rbac package does not know, instead of trusting them', () => {
    expect(effectiveVerbsOf({ verbs: { audit_query: ['use', 'launch'], node: ['*'] } })).toEqual({
      security_report: [],
      audit_query: ['use'],
      response_action: [],
    });
  });
});

describe('hasNoAccess', () => {
  it('is true only when no kind grants any verb', () => {
    expect(hasNoAccess({ verbs: {} })).toBe(true);
    expect(hasNoAccess({ verbs: { security_report: [], audit_query: [] } })).toBe(true);
    expect(hasNoAccess({ verbs: { response_action: ['list'] } })).toBe(false);
  });
});

describe('presetRoleFor', () => {
  it('asks for auditor to run reports and queries, or when the need is unknown', () => {
    expect(presetRoleFor(PERMISSIONS.runReport)).toBe('auditor');
    expect(presetRoleFor(PERMISSIONS.listQueries)).toBe('auditor');
    expect(presetRoleFor(undefined)).toBe('auditor');
  });

  it('asks for editor to save or delete', () => {
    expect(presetRoleFor(PERMISSIONS.createQuery)).toBe('editor');
    expect(presetRoleFor(PERMISSIONS.deleteResponseAction)).toBe('editor');
  });
});
