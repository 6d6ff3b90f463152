import { describe, expect, it } from 'vitest';
import { parseRoles } from './parse-roles';
import { DOCUMENTED_ACCESS_MONITORING_ROLE } from './presets';
import { RoleFileError } from './role-file-error';


function parseError(text: string, fileName = 'roles/team.yaml'): RoleFileError {
  let caught: unknown;
  try {
    parseRoles(text, fileName);
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected parseRoles to throw').toBeInstanceOf(RoleFileError);
  return caught as RoleFileError;
}

describe('parseRoles reads roles as tctl prints them', () => {
  it('reads the custom role documented in ACCESS-MONITORING.md', () => {
    const [role, ...rest] = parseRoles(DOCUMENTED_ACCESS_MONITORING_ROLE, 'my-role.yaml');
    expect(rest).toEqual([]);
    expect(role?.metadata.name).toBe('my-role');
    expect(role?.version).toBeUndefined();
    expect(role?.spec?.allow?.rules).toEqual([
      { resources: ['security_report', 'audit_query'], verbs: ['list', 'read', 'use'] },
    ]);
    expect(role?.source).toEqual({ fileName: 'my-role.yaml', line: 1 });
  });

  it('reads every role of a multi-document file and skips empty documents', () => {
    const text = `---
kind: role
version: v7
metadata:
  name: first
spec:
  allow:
    rules:
      - resources: [audit_query]
        verbs: [list]
---
kind: role
version: v8
metadata:
  name: second
spec:
  deny:
    rules:
      - resources: ['*']
        verbs: ['*']
---
`;
    const roles = parseRoles(text, 'roles.yaml');
    expect(roles.map((role) => [role.metadata.name, role.version, role.source?.line])).toEqual([
      ['first', 'v7', 2],
      ['second', 'v8', 12],
    ]);
    expect(roles[1]?.spec?.deny?.rules).toEqual([{ resources: ['*'], verbs: ['*'] }]);
  });

  it.each(['v5', 'v6', 'v7', 'v8'])('accepts role version %s', (version) => {
    const [role] = parseRoles(`kind: role\nversion: ${version}\nmetadata: { name: r }\n`, 'r.yaml');
    expect(role?.version).toBe(version);
  });

  it('keeps the fields it does not evaluate (logins, labels, options, where, actions) as written', () => {
    const text = `kind: role
version: v7
metadata:
  name: ops
  description: Operators
  labels: { team: sre }
spec:
  options:
    max_session_ttl: 8h0m0s
  allow:
    logins: [root, ubuntu]
    node_labels: { '*': '*' }
    rules:
      - resources: [session]
        verbs: [read]
        where: contains(session.participants, user.metadata.name)
        actions: ['log("info", "read a session")']
  deny:
    logins: [admin]
`;
    const [role] = parseRoles(text, 'ops.yaml');
    expect(role?.metadata).toEqual({ name: 'ops', description: 'Operators', labels: { team: 'sre' } });
    expect(role?.spec?.options).toEqual({ max_session_ttl: '8h0m0s' });
    expect(role?.spec?.allow?.logins).toEqual(['root', 'ubuntu']);
    expect(role?.spec?.allow?.rules?.[0]).toEqual({
      resources: ['session'],
      verbs: ['read'],
      where: 'contains(session.participants, user.metadata.name)',
      actions: ['log("info", "read a session")'],
    });
    expect(role?.spec?.deny).toEqual({ logins: ['admin'] });
  });

  it('treats empty allow, deny and spec keys as absent', () => {
    const [role] = parseRoles('kind: role\nmetadata:\n  name: empty\nspec:\n  allow:\n  deny:\n    rules:\n', 'e.yaml');
    expect(role?.spec).toEqual({ allow: undefined, deny: { rules: undefined } });
    expect(parseRoles('kind: role\nmetadata: { name: bare }\nspec:\n', 'b.yaml')[0]?.spec).toBeUndefined();
  });

  it('reads the list of roles tctl prints with --format=json', () => {
    const json = JSON.stringify(
      [
        { kind: 'role', version: 'v7', metadata: { name: 'a' }, spec: { allow: { rules: [{ resources: ['audit_query'], verbs: ['use'] }] } } },
        { kind: 'role', version: 'v7', metadata: { name: 'b' }, spec: {} },
      ],
      null,
      2,
    );
    expect(parseRoles(json, 'roles.json').map((role) => role.metadata.name)).toEqual(['a', 'b']);
  });

  it('returns no roles for an empty file', () => {
    expect(parseRoles('', 'empty.yaml')).toEqual([]);
    expect(parseRoles('# no roles yet\n', 'empty.yaml')).toEqual([]);
  });
});

describe('parseRoles names file, line and reason of the first problem', () => {
  it('reports broken YAML at the line the parser stopped', () => {
    const error = parseError('kind: role\nmetadata:\n  name: x: y\nspec: {}\n');
    expect(error.fileName).toBe('roles/team.yaml');
    expect(error.position?.line).toBe(3);
    expect(error.message).toMatch(/^roles\/team\.yaml:3:\d+: invalid YAML: /);
  });

  it('reports an unclosed flow list where it runs into the next key', () => {
    const error = parseError('kind: role\nmetadata:\n  name: x\n  labels: [a, b\nspec: {}\n');
    expect(error.message).toMatch(/^roles\/team\.yaml:5:1: invalid YAML: .*end with a \]/);
  });

  it('reports a duplicate key as broken YAML', () => {
    const error = parseError('kind: role\nmetadata:\n  name: a\n  name: b\n');
    expect(error.message).toMatch(/^roles\/team\.yaml:4:3: invalid YAML: .*unique/);
  });

  it('rejects a document that is not a role, pointing at its kind', () => {
    const text = `kind: role
metadata: { name: ok }
---
kind: user
version: v2
metadata:
  name: alice
spec:
  roles: [auditor]
`;
    const error = parseError(text);
    expect(error.message).toBe('roles/team.yaml:4:7: expected kind: role, not kind: user');
  });

  it('rejects a document without kind', () => {
    expect(parseError('metadata:\n  name: x\n').message).toBe('roles/team.yaml:1:1: missing kind: role');
  });

  it('rejects a document that is not a mapping', () => {
    expect(parseError('just text\n').message).toBe(
      'roles/team.yaml:1:1: expected a role (a mapping with kind: role), not the string "just text"',
    );
  });

  it('rejects a role without metadata.name, pointing at metadata', () => {
    const error = parseError('kind: role\nversion: v7\nmetadata:\n  labels: {}\nspec: {}\n');
    expect(error.message).toBe('roles/team.yaml:3:1: metadata.name is missing');
  });

  it('rejects a role without metadata, pointing at the document', () => {
    expect(parseError('\n\nkind: role\nspec: {}\n').message).toBe('roles/team.yaml:3:1: metadata is missing');
  });

  it('rejects an empty role name', () => {
    expect(parseError('kind: role\nmetadata:\n  name: ""\n').message).toBe(
      'roles/team.yaml:3:9: metadata.name must not be empty',
    );
  });

  it('rejects verbs written as a string instead of a list', () => {
    const text = `kind: role
metadata:
  name: broken
spec:
  allow:
    rules:
      - resources: [audit_query]
        verbs: read
`;
    expect(parseError(text).message).toBe(
      'roles/team.yaml:8:16: spec.allow.rules[0].verbs must be a list of verbs, not the string "read"',
    );
  });

  it('rejects a resource that is not a string, pointing at the item', () => {
    const text = `kind: role
metadata: { name: r }
spec:
  deny:
    rules:
      - resources:
          - audit_query
          - 42
        verbs: [read]
`;
    expect(parseError(text).message).toBe(
      'roles/team.yaml:8:13: spec.deny.rules[0].resources[1] must be a string, not the number 42',
    );
  });

  it('rejects a rule without verbs, pointing at the rule', () => {
    const text = 'kind: role\nmetadata: { name: r }\nspec:\n  allow:\n    rules:\n      - resources: [audit_query]\n';
    expect(parseError(text).message).toBe('roles/team.yaml:6:9: spec.allow.rules[0].verbs is missing');
  });

  it('rejects a rule with an empty list of resources', () => {
    const text = 'kind: role\nmetadata: { name: r }\nspec:\n  allow:\n    rules:\n      - resources: []\n        verbs: [read]\n';
    expect(parseError(text).message).toBe(
      'roles/team.yaml:6:20: spec.allow.rules[0].resources must list at least one resource',
    );
  });

  it('rejects rules written as a mapping instead of a list', () => {
    const text = 'kind: role\nmetadata: { name: r }\nspec:\n  allow:\n    rules:\n      resources: [audit_query]\n      verbs: [read]\n';
    expect(parseError(text).message).toBe(
      'roles/team.yaml:6:7: spec.allow.rules must be a list of rules, not a mapping',
    );
  });

  it('rejects a version that is not vN', () => {
    expect(parseError('kind: role\nversion: 7\nmetadata: { name: r }\n').message).toBe(
      'roles/team.yaml:2:10: version must be a version such as v7, not the number 7',
    );
  });

  it('points into the right role of a multi-document file', () => {
    const text = `kind: role
metadata: { name: a }
---
kind: role
metadata: { name: b }
spec:
  allow:
    rules:
      - resources: audit_query
        verbs: [use]
`;
    expect(parseError(text).message).toBe(
      'roles/team.yaml:9:20: spec.allow.rules[0].resources must be a list of resources, not the string "audit_query"',
    );
  });

  it('points at the key that lacks a field inside a JSON list', () => {
    const json = '[\n  {"kind": "role", "metadata": {"name": "a"}},\n  {"kind": "role", "metadata": {}}\n]\n';
    expect(parseError(json, 'roles.json').message).toBe('roles.json:3:20: metadata.name is missing');
  });
});
