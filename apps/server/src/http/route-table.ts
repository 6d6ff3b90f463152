import { PERMISSIONS, READS_AUDIT_LOG, type Permission } from '@access-monitor/rbac';

export type RouteAccess =
  /** Anyone, signed in or not. */
  | { public: true }
  /** Any signed-in user, whatever their roles. */
  | { authenticated: true }
  /** A signed-in user whose roles grant every verb of the permission. */
  | { permission: Permission }
  /** A signed-in user whose roles grant every verb of every one of the permissions. */
  | { permissions: readonly [Permission, ...Permission[]] };

export interface RouteEntry {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path under /api/v1, in Express syntax. */
  path: string;
  /** Query parameters that select this entry over one without (more specific entries first). */
  query?: Record<string, string>;
  /** Request headers (lower case) that select this entry over one without. */
  headers?: Record<string, string>;
  access: RouteAccess;
}

const runQuery = { permission: PERMISSIONS.runQuery };
const runReport = { permission: PERMISSIONS.runReport };
const readsAuditLog = READS_AUDIT_LOG;

/**
 * Every /api/v1 route and what it needs, in one place (DESIGN §6 verb mapping). The access-control
 * middleware enforces it; a route missing here answers 404 (fail closed), and a test walks the
 * router to make sure none is.
 */
export const ROUTE_TABLE: readonly RouteEntry[] = [
  { method: 'POST', path: '/login', access: { public: true } },
  { method: 'POST', path: '/logout', access: { public: true } },
  { method: 'GET', path: '/openapi.json', access: { public: true } },
  { method: 'GET', path: '/me', access: { authenticated: true } },

  { method: 'GET', path: '/schema', access: runQuery },
  // Everyone's history is for editors; one's own needs only use on audit_query.
  { method: 'GET', path: '/executions', query: { mine: 'false' }, access: { permission: PERMISSIONS.updateQuery } },
  { method: 'GET', path: '/executions', access: runQuery },
  { method: 'POST', path: '/executions', access: runQuery },
  // Before /executions/:id, which the path would also match.
  { method: 'GET', path: '/executions/estimate', access: runQuery },
  { method: 'GET', path: '/executions/:id', access: runQuery },
  { method: 'DELETE', path: '/executions/:id', access: runQuery },
  { method: 'GET', path: '/executions/:id/results', access: runQuery },
  { method: 'GET', path: '/executions/:id/results.csv', access: runQuery },

  { method: 'GET', path: '/queries', query: { deleted: 'true' }, access: { permission: PERMISSIONS.listQueries } },
  { method: 'GET', path: '/queries', access: { permission: PERMISSIONS.listQueries } },
  { method: 'GET', path: '/queries/:name', access: { permission: PERMISSIONS.viewQuery } },
  { method: 'GET', path: '/queries/:name/revisions', access: { permission: PERMISSIONS.listQueries } },
  // Creating is PUT with If-None-Match: *, so the verb is known before the handler runs.
  { method: 'PUT', path: '/queries/:name', headers: { 'if-none-match': '*' }, access: { permission: PERMISSIONS.createQuery } },
  { method: 'PUT', path: '/queries/:name', access: { permission: PERMISSIONS.updateQuery } },
  { method: 'DELETE', path: '/queries/:name', access: { permission: PERMISSIONS.deleteQuery } },
  // Restoring a deleted query creates it again.
  { method: 'POST', path: '/queries/:name/restore', access: { permission: PERMISSIONS.createQuery } },

  // The usage dashboard is a report over the audit log.
  { method: 'GET', path: '/usage/overview', access: { permission: PERMISSIONS.runReport } },

  // Security reports: definitions need list/read; runs, states, results, timeline and evidence need use.
  { method: 'GET', path: '/reports', access: { permission: PERMISSIONS.listReports } },
  { method: 'GET', path: '/reports/:name', access: { permission: PERMISSIONS.viewReport } },
  { method: 'GET', path: '/reports/:name/queries/:id', access: { permission: PERMISSIONS.viewReport } },
  { method: 'POST', path: '/reports/:name/runs', access: runReport },
  { method: 'GET', path: '/reports/:name/runs', access: runReport },
  { method: 'GET', path: '/runs/:runId', access: runReport },
  { method: 'GET', path: '/runs/:runId/queries/:id/rows', access: runReport },
  { method: 'GET', path: '/runs/:runId/queries/:id/rows.csv', access: runReport },
  // Triage: reading the exceptions goes with reading results; marking an entity changes the report's outcome.
  { method: 'GET', path: '/reports/:name/triage', access: runReport },
  { method: 'PUT', path: '/reports/:name/findings/:id/triage', access: { permission: PERMISSIONS.updateReport } },
  // The drill-down from a finding row returns raw audit events: it reads the audit log as a query does, so it needs both.
  { method: 'GET', path: '/timeline', access: { permissions: [PERMISSIONS.runReport, PERMISSIONS.runQuery] } },
  { method: 'GET', path: '/runs/:runId/evidence.zip', access: runReport },
  // Response actions: list/read to see rules and firings; create/update/delete to manage them. A rule reads the
  // audit log and sends its rows away, so defining, previewing or firing one also needs use on both kinds
  // (else a role without them could read findings through a rule's preview or webhook).
  { method: 'GET', path: '/actions', access: { permission: PERMISSIONS.listResponseActions } },
  // Before /actions/:name, which the paths would also match.
  { method: 'GET', path: '/actions/destinations', access: { permission: PERMISSIONS.listResponseActions } },
  { method: 'POST', path: '/actions/preview', access: { permissions: [PERMISSIONS.createResponseAction, ...readsAuditLog] } },
  { method: 'GET', path: '/actions/:name', access: { permission: PERMISSIONS.viewResponseAction } },
  { method: 'GET', path: '/actions/:name/revisions', access: { permission: PERMISSIONS.listResponseActions } },
  { method: 'PUT', path: '/actions/:name', headers: { 'if-none-match': '*' }, access: { permissions: [PERMISSIONS.createResponseAction, ...readsAuditLog] } },
  { method: 'PUT', path: '/actions/:name', access: { permissions: [PERMISSIONS.updateResponseAction, ...readsAuditLog] } },
  { method: 'DELETE', path: '/actions/:name', access: { permission: PERMISSIONS.deleteResponseAction } },
  { method: 'GET', path: '/actions/:name/firings', access: { permission: PERMISSIONS.listResponseActions } },
  { method: 'GET', path: '/actions/:name/firings/:id', access: { permission: PERMISSIONS.viewResponseAction } },
  // Firing now sends to real destinations (and may lock users): the same verb as changing the rule.
  { method: 'POST', path: '/actions/:name/firings', access: { permissions: [PERMISSIONS.updateResponseAction, ...readsAuditLog] } },

  // Auditors pin the key evidence is signed with: a public key, served without signing in so that
  // `access-monitor verify --server URL` can fetch it.
  { method: 'GET', path: '/evidence/public-key', access: { public: true } },
];
