import { describe, expect, it } from 'vitest';
import { RESOURCE_KINDS } from './model';
import { PRESET_ROLES } from './presets';
import { createRoleRegistry } from './role-registry';
import { RoleSet } from './role-set';

const presetSet = (name: string) => new RoleSet([name], createRoleRegistry([]));

describe('preset roles', () => {
  it('are auditor and editor', () => {
    expect(PRESET_ROLES.map((role) => role.metadata.name)).toEqual(['auditor', 'editor']);
  });

  it('auditor lists, reads and runs reports and queries and sees response actions', () => {
    expect(presetSet('auditor').effectiveVerbs()).toEqual({
      security_report: ['list', 'read', 'use'],
      audit_query: ['list', 'read', 'use'],
      response_action: ['list', 'read'],
    });
  });

  it('auditor cannot create, update or delete anything', () => {
    const auditor = presetSet('auditor');
    for (const kind of RESOURCE_KINDS) {
      for (const verb of ['create', 'update', 'delete'] as const) expect(auditor.can(kind, verb), `${kind}:${verb}`).toBe(false);
    }
    expect(auditor.can('response_action', 'use')).toBe(false);
  });

  it('editor may do everything on reports, queries and response actions', () => {
    expect(presetSet('editor').effectiveVerbs()).toEqual({
      security_report: ['list', 'read', 'use', 'create', 'update', 'delete'],
      audit_query: ['list', 'read', 'use', 'create', 'update', 'delete'],
      response_action: ['list', 'read', 'use', 'create', 'update', 'delete'],
    });
  });
});
