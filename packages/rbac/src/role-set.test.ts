import { describe, expect, it } from 'vitest';
import { RESOURCE_KINDS, VERBS } from './model';
import type { Role, Rule } from './model';
import { parseRoles } from './parse-roles';
import { DOCUMENTED_ACCESS_MONITORING_ROLE } from './presets';
import { createRoleRegistry } from './role-registry';
import { RoleSet } from './role-set';

function role(name: string, allow: Rule[], deny: Rule[] = []): Role {
  return { kind: 'role', version: 'v7', metadata: { name }, spec: { allow: { rules: allow }, deny: { rules: deny } } };
}

function roleSet(roles: Role[], names = roles.map((r) => r.metadata.name)): RoleSet {
  return new RoleSet(names, createRoleRegistry(roles));
}

/** Every (kind, verb) the set grants, as "kind:verb". */
function granted(set: RoleSet): string[] {
  return RESOURCE_KINDS.flatMap((kind) => VERBS.filter((verb) => set.can(kind, verb)).map((verb) => `${kind}:${verb}`));
}

describe('RoleSet.can', () => {
  it('grants the documented custom role list, read and use on reports and queries, and nothing else', () => {
    const roles = parseRoles(DOCUMENTED_ACCESS_MONITORING_ROLE, 'my-role.yaml');
    expect(granted(roleSet(roles))).toEqual([
      'security_report:list',
      'security_report:read',
      'security_report:use',
      'audit_query:list',
      'audit_query:read',
      'audit_query:use',
    ]);
  });

  it('lets a rule with resources * and verbs * grant every verb on every kind', () => {
    const set = roleSet([role('root', [{ resources: ['*'], verbs: ['*'] }])]);
    expect(granted(set)).toHaveLength(RESOURCE_KINDS.length * VERBS.length);
  });

  it('lets verbs * grant every verb on the listed kinds only', () => {
    const set = roleSet([role('queries', [{ resources: ['audit_query'], verbs: ['*'] }])]);
    expect(granted(set)).toEqual(VERBS.map((verb) => `audit_query:${verb}`));
  });

  it('lets resources * grant the listed verbs on every kind', () => {
    const set = roleSet([role('readers', [{ resources: ['*'], verbs: ['read'] }])]);
    expect(granted(set)).toEqual(RESOURCE_KINDS.map((kind) => `${kind}:read`));
  });

  it('unites allow rules across roles', () => {
    const set = roleSet([
      role('lists', [{ resources: ['security_report'], verbs: ['list'] }]),
      role('runs', [{ resources: ['audit_query'], verbs: ['use'] }]),
    ]);
    expect(granted(set)).toEqual(['security_report:list', 'audit_query:use']);
  });

  it('lets a deny in one role win over an allow in another', () => {
    const set = roleSet([
      role('a', [], [{ resources: ['audit_query'], verbs: ['delete'] }]),
      role('b', [{ resources: ['*'], verbs: ['*'] }]),
    ]);
    expect(set.can('audit_query', 'delete')).toBe(false);
    expect(set.can('audit_query', 'update')).toBe(true);
    expect(set.can('security_report', 'delete')).toBe(true);
  });

  it('lets a deny win over an allow within the same role', () => {
    const set = roleSet([
      role(
        'self',
        [{ resources: ['security_report'], verbs: ['list', 'read', 'use'] }],
        [{ resources: ['security_report'], verbs: ['use'] }],
      ),
    ]);
    expect(granted(set)).toEqual(['security_report:list', 'security_report:read']);
  });

  it('lets a deny of verb * on one kind leave the other kinds alone', () => {
    const set = roleSet([
      role('editor-but', [{ resources: ['*'], verbs: ['*'] }], [{ resources: ['response_action'], verbs: ['*'] }]),
    ]);
    expect(RESOURCE_KINDS.filter((kind) => VERBS.some((verb) => set.can(kind, verb)))).toEqual(['security_report', 'audit_query']);
    expect(VERBS.filter((verb) => set.can('response_action', verb))).toEqual([]);
  });

  it('lets a deny on resources * take everything away', () => {
    const set = roleSet([role('locked', [], [{ resources: ['*'], verbs: ['*'] }])], ['locked', 'editor']);
    expect(granted(set)).toEqual([]);
  });

  it('compares kinds and verbs case-sensitively, as Teleport does', () => {
    const set = roleSet([role('shouty', [{ resources: ['Security_Report', 'AUDIT_QUERY'], verbs: ['READ', 'list'] }])]);
    expect(granted(set)).toEqual([]);
  });

  it('ignores verbs and kinds it does not check', () => {
    const set = roleSet([
      role('other', [
        { resources: ['session', 'node'], verbs: ['read', 'list'] },
        { resources: ['audit_query'], verbs: ['readnosecrets'] },
      ]),
    ]);
    expect(granted(set)).toEqual([]);
  });

  it('does not grant through an allow rule with a where clause, which it cannot evaluate', () => {
    const where = 'equals(user.metadata.name, "alice")';
    const set = roleSet([role('conditional', [{ resources: ['audit_query'], verbs: ['use'], where }])]);
    expect(set.can('audit_query', 'use')).toBe(false);
  });

  it('denies through a deny rule with a where clause, which it cannot evaluate', () => {
    const where = 'equals(resource.metadata.name, "x")';
    const set = roleSet([
      role('conditional', [{ resources: ['audit_query'], verbs: ['*'] }], [{ resources: ['audit_query'], verbs: ['delete'], where }]),
    ]);
    expect(set.can('audit_query', 'delete')).toBe(false);
    expect(set.can('audit_query', 'update')).toBe(true);
  });

  it('grants nothing for a user without roles', () => {
    expect(granted(new RoleSet([], createRoleRegistry([])))).toEqual([]);
  });
});

describe('RoleSet with role names the registry does not know', () => {
  it('grants nothing for unknown roles and reports them', () => {
    const set = new RoleSet(['ghost', 'access', 'ghost'], createRoleRegistry([]));
    expect(granted(set)).toEqual([]);
    expect(set.unknownRoles()).toEqual(['ghost', 'access']);
  });

  it('still grants what the known roles allow', () => {
    const set = new RoleSet(['ghost', 'auditor'], createRoleRegistry([]));
    expect(set.can('audit_query', 'use')).toBe(true);
    expect(set.unknownRoles()).toEqual(['ghost']);
  });

  it('matches role names case-sensitively', () => {
    const set = new RoleSet(['Auditor'], createRoleRegistry([]));
    expect(granted(set)).toEqual([]);
    expect(set.unknownRoles()).toEqual(['Auditor']);
  });
});

describe('RoleSet.effectiveVerbs', () => {
  it('lists the granted verbs per kind in a stable order, with empty lists for kinds without any', () => {
    const set = roleSet([
      role(
        'mixed',
        [
          { resources: ['audit_query'], verbs: ['use', 'delete', 'list', 'read'] },
          { resources: ['security_report'], verbs: ['read'] },
        ],
        [{ resources: ['audit_query'], verbs: ['delete'] }],
      ),
    ]);
    expect(set.effectiveVerbs()).toEqual({
      security_report: ['read'],
      audit_query: ['list', 'read', 'use'],
      response_action: [],
    });
  });

  it('answers for the requested kinds only', () => {
    const set = new RoleSet(['editor'], createRoleRegistry([]));
    expect(set.effectiveVerbs(['response_action'])).toEqual({ response_action: [...VERBS] });
  });
});
