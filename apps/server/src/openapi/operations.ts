import { z } from 'zod';
import {
  AuditSchema,
  Execution,
  ExecutionList,
  ExecutionsQuery,
  LoginRequest,
  RevisionList,
  SaveQuery,
  SavedQuery,
  SavedQueryList,
  Me,
  Problem,
  ResultsPage,
  ResultsQuery,
  StartExecution,
  UsageOverview,
  UsageQuery,
} from '@access-monitor/contracts';

export interface Operation {
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Status → JSON schema of the body; `text/csv` for the download. */
  responses: Record<number, z.ZodType | 'text/csv' | null>;
}

/** The request and response shape of every route, keyed like ROUTE_TABLE (`METHOD path`). */
export const OPERATIONS: Record<string, Operation> = {
  'POST /login': { summary: 'Sign in with a local user (local mode)', body: LoginRequest, responses: { 200: Me, 401: Problem, 429: Problem } },
  'POST /logout': { summary: 'Sign out: clears the session cookie', responses: { 204: null } },
  'GET /openapi.json': { summary: 'This document', responses: { 200: z.record(z.string(), z.unknown()) } },
  'GET /me': { summary: 'The caller, their roles and the verbs they hold per resource kind', responses: { 200: Me, 401: Problem } },
  'GET /schema': { summary: 'Views over the audit log, their columns, and the compatibility functions', responses: { 200: AuditSchema } },
  'GET /executions': {
    summary: "Query history, newest first: the caller's (mine=true) or everyone's (mine=false, needs update on audit_query)",
    query: ExecutionsQuery,
    responses: { 200: ExecutionList },
  },
  'POST /executions': { summary: 'Run SQL over a window of the audit log', body: StartExecution, responses: { 202: Execution, 400: Problem, 422: Problem } },
  'GET /executions/:id': { summary: 'State of an execution', responses: { 200: Execution, 404: Problem } },
  'DELETE /executions/:id': { summary: "Cancel: stops the engine's query", responses: { 202: Execution, 404: Problem } },
  'GET /executions/:id/results': { summary: 'A page of result rows', query: ResultsQuery, responses: { 200: ResultsPage, 409: Problem, 410: Problem } },
  'GET /executions/:id/results.csv': { summary: 'The whole result as CSV, streamed', responses: { 200: 'text/csv', 409: Problem } },
  'GET /queries': { summary: 'Saved audit queries (latest revision of each)', responses: { 200: SavedQueryList } },
  'GET /queries/:name': { summary: 'A saved audit query; its revision is the ETag', responses: { 200: SavedQuery, 404: Problem } },
  'GET /queries/:name/revisions': { summary: 'Every revision of a saved query, tombstones included', responses: { 200: RevisionList } },
  'PUT /queries/:name': {
    summary: 'Save: create with If-None-Match: * (create on audit_query), update with If-Match: <ETag> (update on audit_query)',
    body: SaveQuery,
    responses: { 200: SavedQuery, 201: SavedQuery, 400: Problem, 409: Problem, 428: Problem },
  },
  'DELETE /queries/:name': { summary: 'Delete: writes a tombstone revision (restorable)', responses: { 204: null, 404: Problem, 409: Problem } },
  'GET /usage/overview': { summary: 'Usage-pattern charts for a 7, 30, 90 or 120-day window', query: UsageQuery, responses: { 200: UsageOverview, 400: Problem } },
};
