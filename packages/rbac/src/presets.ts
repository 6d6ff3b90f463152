import type { Role } from './model';

/** Teleport's preset `auditor`, reduced to what Access Monitoring checks: run and read, never change. */
const auditor: Role = {
  kind: 'role',
  version: 'v7',
  metadata: { name: 'auditor', description: 'Review security reports and audit queries, run them, see response actions' },
  spec: {
    allow: {
      rules: [
        { resources: ['security_report', 'audit_query'], verbs: ['list', 'read', 'use'] },
        { resources: ['response_action'], verbs: ['list', 'read'] },
      ],
    },
  },
};

/** Teleport's preset `editor`, reduced to what Access Monitoring checks: everything. */
const editor: Role = {
  kind: 'role',
  version: 'v7',
  metadata: { name: 'editor', description: 'Manage security reports, audit queries and response actions' },
  spec: {
    allow: {
      rules: [
        {
          resources: ['security_report', 'audit_query', 'response_action'],
          verbs: ['list', 'read', 'use', 'create', 'update', 'delete'],
        },
      ],
    },
  },
};

/** Roles every registry knows unless role files define a role of the same name. */
export const PRESET_ROLES: readonly Role[] = [auditor, editor];

/** The custom role Teleport documents for Access Monitoring (ACCESS-MONITORING.md, "Permissions"), verbatim. */
export const DOCUMENTED_ACCESS_MONITORING_ROLE = `kind: role
metadata:
  name: my-role
spec:
  allow:
    rules:
      - resources:
          - security_report
          - audit_query
        verbs:
          - list
          - read
          - use
`;
