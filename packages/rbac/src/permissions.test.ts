import { describe, expect, it } from 'vitest';
import { accessFromEffectiveVerbs, allows, PERMISSIONS } from './permissions';
import type { Permission } from './permissions';
import { parseRoles } from './parse-roles';
import { createRoleRegistry } from './role-registry';
import { RoleSet } from './role-set';

const registry = createRoleRegistry(
  parseRoles(
    `kind: role
metadata: { name: lister }
spec:
  allow:
    rules: [{ resources: [security_report], verbs: [list] }]
---
kind: role
metadata: { name: no-deletes }
spec:
  deny:
    rules: [{ resources: ['*'], verbs: [delete] }]
`,
    'roles.yaml',
  ),
);

/** Names of the PERMISSIONS entries the access checker allows. */
function allowedActions(access: Parameters<typeof allows>[0]): string[] {
  return Object.entries(PERMISSIONS)
    .filter(([, permission]) => allows(access, permission))
    .map(([action]) => action);
}

describe('allows', () => {
  it('requires every verb of the permission', () => {
    const listOnly = new RoleSet(['lister'], registry);
    expect(allows(listOnly, { kind: 'security_report', verbs: ['list'] })).toBe(true);
    expect(allows(listOnly, PERMISSIONS.listReports)).toBe(false);
  });

  it('lets an auditor list, view and run reports and queries, and list and view response actions', () => {
    expect(allowedActions(new RoleSet(['auditor'], registry))).toEqual([
      'listReports',
      'viewReport',
      'runReport',
      'listQueries',
      'viewQuery',
      'runQuery',
      'listResponseActions',
      'viewResponseAction',
    ]);
  });

  it('lets an editor with a deny on delete do everything but delete', () => {
    const actions = allowedActions(new RoleSet(['editor', 'no-deletes'], registry));
    expect(actions).toContain('updateQuery');
    expect(actions.filter((action) => action.startsWith('delete'))).toEqual([]);
  });

  it('maps actions to verbs as DESIGN §6 says', () => {
    const table: Record<string, Permission> = PERMISSIONS;
    expect(table.listQueries).toEqual({ kind: 'audit_query', verbs: ['list', 'read'] });
    expect(table.viewReport).toEqual({ kind: 'security_report', verbs: ['read'] });
    expect(table.runReport).toEqual({ kind: 'security_report', verbs: ['use'] });
    expect(table.runQuery).toEqual({ kind: 'audit_query', verbs: ['use'] });
    expect(table.createQuery).toEqual({ kind: 'audit_query', verbs: ['create'] });
    expect(table.updateQuery).toEqual({ kind: 'audit_query', verbs: ['update'] });
    expect(table.deleteResponseAction).toEqual({ kind: 'response_action', verbs: ['delete'] });
  });
});

describe('accessFromEffectiveVerbs', () => {
  it('decides in the SPA exactly as the RoleSet the server built', () => {
    for (const roles of [['auditor'], ['editor'], ['editor', 'no-deletes'], ['lister'], []]) {
      const set = new RoleSet(roles, registry);
      const fromMe = accessFromEffectiveVerbs(JSON.parse(JSON.stringify(set.effectiveVerbs())));
      expect(allowedActions(fromMe), roles.join(',')).toEqual(allowedActions(set));
    }
  });

  it('grants nothing for kinds the answer leaves out', () => {
    expect(allows(accessFromEffectiveVerbs({ audit_query: ['use'] }), PERMISSIONS.runReport)).toBe(false);
  });
});
