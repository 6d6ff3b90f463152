import {
  AuditSchema,
  Execution,
  Me,
  ResultsPage,
  RevisionList,
  SavedQuery,
  SavedQueryList,
  UsageOverview,
  type LoginRequest,
  type SaveQuery,
  type StartExecution,
  type WindowDays,
} from '@access-monitor/contracts';
import { requestJson, requestNoContent, requestTaggedJson, type Tagged } from './client';

const BASE = '/api/v1';
const executionPath = (id: string) => `${BASE}/executions/${encodeURIComponent(id)}`;
const queryPath = (name: string) => `${BASE}/queries/${encodeURIComponent(name)}`;

/** A saved audit query with the ETag of its revision (`"name.rN"`), which a save sends back as `If-Match`. */
export interface SavedQueryAt {
  query: SavedQuery;
  etag: string;
}

/** Create only when the name is free, or update only the revision the edit was based on; the server refuses anything else (428). */
export type SavePrecondition = { create: true } | { ifMatch: string };

const preconditionHeaders = (precondition: SavePrecondition): Record<string, string> =>
  'ifMatch' in precondition ? { 'If-Match': precondition.ifMatch } : { 'If-None-Match': '*' };

const atRevision = ({ data, etag }: Tagged<SavedQuery>): SavedQueryAt => ({ query: data, etag });

/** Every BFF endpoint the dashboard calls, each validated against its contract schema. */
export const api = {
  /** Who is signed in and what their roles allow; 401 when nobody is. */
  me: (signal?: AbortSignal) => requestJson(`${BASE}/me`, Me, { signal }),

  /** Local mode only: sets the HttpOnly session cookie. 401 for wrong credentials, 429 (with Retry-After) when throttled. */
  login: (body: LoginRequest) => requestJson(`${BASE}/login`, Me, { method: 'POST', body }),

  /** Clears the session cookie (204). */
  logout: () => requestNoContent(`${BASE}/logout`, { method: 'POST' }),

  /**
   * Asks whether this server has a login route at all, with a body it refuses before checking any credential:
   * 404 means Teleport mode (identity comes from Teleport App Access), anything else means local mode.
   */
  probeLogin: (signal?: AbortSignal) => requestNoContent(`${BASE}/login`, { method: 'POST', body: {}, signal }),

  usageOverview: (days: WindowDays, signal?: AbortSignal) =>
    requestJson(`${BASE}/usage/overview?${new URLSearchParams({ days: String(days) })}`, UsageOverview, { signal }),

  startExecution: (body: StartExecution) => requestJson(`${BASE}/executions`, Execution, { method: 'POST', body }),

  execution: (id: string, signal?: AbortSignal) => requestJson(executionPath(id), Execution, { signal }),

  cancelExecution: (id: string) => requestJson(executionPath(id), Execution, { method: 'DELETE' }),

  executionResults: (id: string, offset: number, limit: number, signal?: AbortSignal) =>
    requestJson(`${executionPath(id)}/results?${new URLSearchParams({ offset: String(offset), limit: String(limit) })}`, ResultsPage, { signal }),

  /** A plain link target: the browser downloads the CSV itself. */
  executionCsvUrl: (id: string) => `${executionPath(id)}/results.csv`,

  auditSchema: (signal?: AbortSignal) => requestJson(`${BASE}/schema`, AuditSchema, { signal }),

  /** The latest revision of every saved audit query that is not deleted. */
  savedQueries: (signal?: AbortSignal) => requestJson(`${BASE}/queries`, SavedQueryList, { signal }),

  savedQuery: (name: string, signal?: AbortSignal) => requestTaggedJson(queryPath(name), SavedQuery, { signal }).then(atRevision),

  /** Every revision, oldest first, deletions included. */
  savedQueryRevisions: (name: string, signal?: AbortSignal) => requestJson(`${queryPath(name)}/revisions`, RevisionList, { signal }),

  /** 201 on create, 200 on update; 409 (with the current revision) when the name is taken or someone saved in between. */
  saveQuery: (name: string, body: SaveQuery, precondition: SavePrecondition) =>
    requestTaggedJson(queryPath(name), SavedQuery, { method: 'PUT', body, headers: preconditionHeaders(precondition) }).then(atRevision),

  /** Deletes (a tombstone revision; 204); with `ifMatch`, only if nobody saved since that revision (else 409). */
  deleteQuery: (name: string, options: { ifMatch?: string } = {}) =>
    requestNoContent(queryPath(name), { method: 'DELETE', ...(options.ifMatch ? { headers: { 'If-Match': options.ifMatch } } : {}) }),
};
