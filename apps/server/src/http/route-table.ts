import { ACTIONS_ROUTES } from '../actions/actions-router';
import { EVIDENCE_ROUTES } from '../evidence/evidence-router';
import { EXECUTIONS_ROUTES } from '../executions/executions-router';
import { SESSION_ROUTES } from '../identity/session-routes';
import { ME_ROUTES } from '../me/me-router';
import { OPENAPI_ROUTES } from '../openapi/openapi-router';
import { QUERIES_ROUTES } from '../queries/queries-router';
import { REPORTS_ROUTES } from '../reports/reports-router';
import { RUNS_ROUTES } from '../reports/runs-router';
import { SCHEMA_ROUTES } from '../schema/schema-router';
import { TIMELINE_ROUTES } from '../timeline/timeline-router';
import { TRIAGE_ROUTES } from '../triage/triage-router';
import { USAGE_ROUTES } from '../usage/usage-router';
import { routeEntries, type RouteSpec } from './declare-routes';

export type { RouteAccess, RouteEntry } from './declare-routes';

/** Every /api/v1 route as its resource folder declares it: the source of ROUTE_TABLE and of the OpenAPI document. */
export const ROUTE_DECLARATIONS: readonly RouteSpec[] = [
  ...SESSION_ROUTES,
  ...OPENAPI_ROUTES,
  ...ME_ROUTES,
  ...SCHEMA_ROUTES,
  ...EXECUTIONS_ROUTES,
  ...QUERIES_ROUTES,
  ...USAGE_ROUTES,
  ...REPORTS_ROUTES,
  ...RUNS_ROUTES,
  ...TRIAGE_ROUTES,
  ...TIMELINE_ROUTES,
  ...EVIDENCE_ROUTES,
  ...ACTIONS_ROUTES,
];

/**
 * Every /api/v1 route and what it needs (DESIGN §6 verb mapping), each route's query/header variants
 * before it. The access-control middleware enforces it; a route missing here answers 404 (fail closed),
 * and a test walks the router to make sure none is.
 */
export const ROUTE_TABLE = routeEntries(ROUTE_DECLARATIONS);
