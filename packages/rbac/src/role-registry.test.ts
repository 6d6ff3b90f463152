import { describe, expect, it } from 'vitest';
import { parseRoles } from './parse-roles';
import { RoleFileError } from './role-file-error';
import { createRoleRegistry } from './role-registry';
import { RoleSet } from './role-set';

describe('createRoleRegistry', () => {
  it('knows the presets and the roles from files', () => {
    const registry = createRoleRegistry(parseRoles('kind: role\nmetadata: { name: analyst }\n', 'analyst.yaml'));
    expect(registry.names()).toEqual(['analyst', 'auditor', 'editor']);
    expect(registry.get('analyst')?.source).toEqual({ fileName: 'analyst.yaml', line: 1 });
    expect(registry.get('nobody')).toBeUndefined();
  });

  it('lets a role file replace a preset of the same name', () => {
    const text = `kind: role
metadata: { name: auditor }
spec:
  allow:
    rules: [{ resources: [security_report], verbs: [list] }]
`;
    const registry = createRoleRegistry(parseRoles(text, 'auditor.yaml'));
    expect(new RoleSet(['auditor'], registry).effectiveVerbs()).toEqual({
      security_report: ['list'],
      audit_query: [],
      response_action: [],
    });
  });

  it('refuses two roles of the same name, naming both places', () => {
    const first = parseRoles('kind: role\nmetadata: { name: twin }\n', 'roles/a.yaml');
    const second = parseRoles('# copy\nkind: role\nmetadata: { name: twin }\n', 'roles/b.yaml');
    const attempt = () => createRoleRegistry([...first, ...second]);
    expect(attempt).toThrow(RoleFileError);
    expect(attempt).toThrow('roles/b.yaml:2: role "twin" is already defined in roles/a.yaml:1');
  });
});
