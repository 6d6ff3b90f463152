import type { EffectiveVerbs, ResourceKind, Verb } from './model';
import type { AccessChecker } from './role-set';

/** What a route or a control needs: every listed verb on the kind. */
export interface Permission {
  readonly kind: ResourceKind;
  readonly verbs: readonly [Verb, ...Verb[]];
}

export function allows(access: AccessChecker, permission: Permission): boolean {
  return permission.verbs.every((verb) => access.can(permission.kind, verb));
}

/** DESIGN §6 verb mapping, one entry per user action; the server's route table and the SPA both use these. */
export const PERMISSIONS = {
  listReports: { kind: 'security_report', verbs: ['list', 'read'] },
  viewReport: { kind: 'security_report', verbs: ['read'] },
  /** Run a report, or read its state and results. */
  runReport: { kind: 'security_report', verbs: ['use'] },
  createReport: { kind: 'security_report', verbs: ['create'] },
  updateReport: { kind: 'security_report', verbs: ['update'] },
  deleteReport: { kind: 'security_report', verbs: ['delete'] },

  listQueries: { kind: 'audit_query', verbs: ['list', 'read'] },
  viewQuery: { kind: 'audit_query', verbs: ['read'] },
  /** Run a query, read its results, or read the schema of the views. */
  runQuery: { kind: 'audit_query', verbs: ['use'] },
  createQuery: { kind: 'audit_query', verbs: ['create'] },
  updateQuery: { kind: 'audit_query', verbs: ['update'] },
  deleteQuery: { kind: 'audit_query', verbs: ['delete'] },

  listResponseActions: { kind: 'response_action', verbs: ['list', 'read'] },
  viewResponseAction: { kind: 'response_action', verbs: ['read'] },
  createResponseAction: { kind: 'response_action', verbs: ['create'] },
  updateResponseAction: { kind: 'response_action', verbs: ['update'] },
  deleteResponseAction: { kind: 'response_action', verbs: ['delete'] },
} as const satisfies Record<string, Permission>;

/**
 * Reading the audit log as both a report and a query: defining, previewing or firing a response action
 * needs it beside the response_action verb, because a rule sends the rows it reads elsewhere.
 */
export const READS_AUDIT_LOG = [PERMISSIONS.runReport, PERMISSIONS.runQuery] as const;

/** Every one of the permissions. */
export const allowsAll = (access: AccessChecker, permissions: readonly Permission[]): boolean => permissions.every((p) => allows(access, p));

/** Checks against the verbs `GET /api/v1/me` returned, so the SPA decides exactly as the server would. */
export function accessFromEffectiveVerbs(effective: Partial<EffectiveVerbs>): AccessChecker {
  return { can: (kind, verb) => effective[kind]?.includes(verb) ?? false };
}
