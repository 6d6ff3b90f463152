import {
  ActionPreview,
  AuditSchema,
  DestinationList,
  Firing,
  FiringList,
  ResponseAction,
  ResponseActionRevisionList,
  ResponseActionList,
  Execution,
  ExecutionEstimate,
  ExecutionList,
  FindingRowsPage,
  Me,
  ReportList,
  ReportRun,
  ReportRunStarted,
  ReportSummary,
  ResultsPage,
  RevisionList,
  SavedQuery,
  SavedQueryList,
  Timeline,
  TriageList,
  TriageRecord,
  UsageOverview,
  UsageOverviewPart,
  type FireAction,
  type LoginRequest,
  type RestoreQuery,
  type SaveQuery,
  type SaveResponseAction,
  type SaveTriage,
  type StartExecution,
  type StartReportRun,
  type UsageChart,
  type WindowDays,
} from '@access-monitor/contracts';
import { requestJson, requestNoContent, requestTaggedJson, type Tagged } from './client';

const BASE = '/api/v1';
const executionPath = (id: string) => `${BASE}/executions/${encodeURIComponent(id)}`;
const queryPath = (name: string) => `${BASE}/queries/${encodeURIComponent(name)}`;
const reportPath = (name: string) => `${BASE}/reports/${encodeURIComponent(name)}`;
const runPath = (runId: string) => `${BASE}/runs/${encodeURIComponent(runId)}`;
const runQueryPath = (runId: string, queryId: string) => `${runPath(runId)}/queries/${encodeURIComponent(queryId)}`;
const actionPath = (name: string) => `${BASE}/actions/${encodeURIComponent(name)}`;

/** `GET /timeline`: exactly one of `user` or `session`, in a report window ending on `end` (default today). */
export interface TimelineRequest {
  user?: string;
  session?: string;
  days: WindowDays;
  end?: string;
  /** Open the page holding this event (time, day or uid); or `cursor`: the page before or after one shown. */
  at?: string;
  cursor?: string;
  /** Only these event types (all when empty). */
  types?: readonly string[];
  order?: 'oldest' | 'newest';
  limit: number;
}

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

/** A response action with the ETag of its revision (`"name.rN"`), which a save sends back as `If-Match`. */
export interface ResponseActionAt {
  action: ResponseAction;
  etag: string;
}

const actionAtRevision = ({ data, etag }: Tagged<ResponseAction>): ResponseActionAt => ({ action: data, etag });

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
  /** Signing out while signed out: 204 in local mode (it has the route), 404 in Teleport mode; never a login attempt or a 401. */
  probeAuthMode: (signal?: AbortSignal) => requestNoContent(`${BASE}/logout`, { method: 'POST', signal }),

  usageOverview: (days: WindowDays, signal?: AbortSignal) =>
    requestJson(`${BASE}/usage/overview?${new URLSearchParams({ days: String(days) })}`, UsageOverview, { signal }),

  /** One part of the overview, narrowed by the filters (user, protocol, cluster, host), so each chart draws as soon as its own queries end. */
  usageChart: (days: WindowDays, chart: UsageChart, filters: Record<string, string>, signal?: AbortSignal) =>
    requestJson(`${BASE}/usage/overview?${new URLSearchParams({ days: String(days), chart, ...filters })}`, UsageOverviewPart, { signal }),

  startExecution: (body: StartExecution) => requestJson(`${BASE}/executions`, Execution, { method: 'POST', body }),

  execution: (id: string, signal?: AbortSignal) => requestJson(executionPath(id), Execution, { signal }),

  cancelExecution: (id: string) => requestJson(executionPath(id), Execution, { method: 'DELETE' }),

  executionResults: (id: string, offset: number, limit: number, signal?: AbortSignal) =>
    requestJson(`${executionPath(id)}/results?${new URLSearchParams({ offset: String(offset), limit: String(limit) })}`, ResultsPage, { signal }),

  /** A plain link target: the browser downloads the CSV itself. */
  executionCsvUrl: (id: string) => `${executionPath(id)}/results.csv`,

  /** What a run over the window would scan, before running (`bytes` null when the engine cannot tell). */
  executionEstimate: (window: { days: number } | { start: string; end: string }, signal?: AbortSignal) =>
    requestJson(
      `${BASE}/executions/estimate?${new URLSearchParams('days' in window ? { days: String(window.days) } : { start: window.start, end: window.end })}`,
      ExecutionEstimate,
      { signal },
    ),

  /** The caller's executions, newest first; `q` matches SQL, id or saved query name. */
  executions: (query: { q?: string; limit?: number }, signal?: AbortSignal) => {
    const params = new URLSearchParams({ mine: 'true', limit: String(query.limit ?? 50) });
    if (query.q) params.set('q', query.q);
    return requestJson(`${BASE}/executions?${params}`, ExecutionList, { signal });
  },

  auditSchema: (signal?: AbortSignal) => requestJson(`${BASE}/schema`, AuditSchema, { signal }),

  /** The latest revision of every saved audit query that is not deleted. */
  savedQueries: (signal?: AbortSignal) => requestJson(`${BASE}/queries`, SavedQueryList, { signal }),

  savedQuery: (name: string, signal?: AbortSignal) => requestTaggedJson(queryPath(name), SavedQuery, { signal }).then(atRevision),

  /** The deleted saved queries: the tombstone of each (who deleted it, when), which a restore names with `If-Match`. */
  deletedQueries: (signal?: AbortSignal) => requestJson(`${BASE}/queries?deleted=true`, SavedQueryList, { signal }),

  /** Undeletes: `revision`'s content becomes a new revision (201), only while the query is still the tombstone `ifMatch` names (else 409). */
  restoreQuery: (name: string, revision: number, options: { ifMatch: string }) =>
    requestTaggedJson(`${queryPath(name)}/restore`, SavedQuery, { method: 'POST', body: { revision } satisfies RestoreQuery, headers: { 'If-Match': options.ifMatch } }).then(atRevision),

  /** Every revision, oldest first, deletions included. */
  savedQueryRevisions: (name: string, signal?: AbortSignal) => requestJson(`${queryPath(name)}/revisions`, RevisionList, { signal }),

  /** 201 on create, 200 on update; 409 (with the current revision) when the name is taken or someone saved in between. */
  saveQuery: (name: string, body: SaveQuery, precondition: SavePrecondition) =>
    requestTaggedJson(queryPath(name), SavedQuery, { method: 'PUT', body, headers: preconditionHeaders(precondition) }).then(atRevision),

  /** Deletes (a tombstone revision; 204); with `ifMatch`, only if nobody saved since that revision (else 409). */
  deleteQuery: (name: string, options: { ifMatch?: string } = {}) =>
    requestNoContent(queryPath(name), { method: 'DELETE', ...(options.ifMatch ? { headers: { 'If-Match': options.ifMatch } } : {}) }),

  /** Every security report with its state per window (7, 30, 90, 120). */
  reports: (signal?: AbortSignal) => requestJson(`${BASE}/reports`, ReportList, { signal }),

  report: (name: string, signal?: AbortSignal) => requestJson(reportPath(name), ReportSummary, { signal }),

  /** 202: the window's state, RUNNING; joins a run of the same report and window already under way. */
  startReportRun: (name: string, body: StartReportRun) => requestJson(`${reportPath(name)}/runs`, ReportRunStarted, { method: 'POST', body }),

  /** An immutable, finished report run, in its page view: each finding's chart folded as the page draws it (`trend`). */
  reportRun: (runId: string, signal?: AbortSignal) => requestJson(`${runPath(runId)}?view=page`, ReportRun, { signal }),

  /** Detail rows of one finding of a run, each with its entity's triage exception in force (or null). */
  runRows: (runId: string, queryId: string, offset: number, limit: number, signal?: AbortSignal) =>
    requestJson(`${runQueryPath(runId, queryId)}/rows?${new URLSearchParams({ offset: String(offset), limit: String(limit) })}`, FindingRowsPage, { signal }),

  /** A report's triage exceptions in force, or (`log`) every triage revision, newest first. */
  reportTriage: (name: string, options: { log: boolean }, signal?: AbortSignal) =>
    requestJson(`${reportPath(name)}/triage?${new URLSearchParams({ log: String(options.log) })}`, TriageList, { signal }),

  /** Marks one entity of a finding (201, a new revision); 400 names the field refused (`expires` past the allowed maximum). */
  saveTriage: (name: string, findingId: string, body: SaveTriage) =>
    requestJson(`${reportPath(name)}/findings/${encodeURIComponent(findingId)}/triage`, TriageRecord, { method: 'PUT', body }),

  /** Plain link targets: the browser downloads them itself. */
  runRowsCsvUrl: (runId: string, queryId: string) => `${runQueryPath(runId, queryId)}/rows.csv`,
  evidenceZipUrl: (runId: string) => `${runPath(runId)}/evidence.zip`,

  /** One user's or one session's audit events in the window, a page at a time. */
  timeline: ({ user, session, days, end, at, cursor, types, order, limit }: TimelineRequest, signal?: AbortSignal) => {
    const params = new URLSearchParams();
    if (user !== undefined) params.set('user', user);
    if (session !== undefined) params.set('session', session);
    params.set('days', String(days));
    if (end !== undefined) params.set('end', end);
    if (at !== undefined) params.set('at', at);
    if (cursor !== undefined) params.set('cursor', cursor);
    if (types !== undefined && types.length > 0) params.set('types', types.join(','));
    if (order !== undefined) params.set('order', order);
    params.set('limit', String(limit));
    return requestJson(`${BASE}/timeline?${params}`, Timeline, { signal });
  },

  /** Every response action (latest revision), with when it fires next and how it last fired. */
  responseActions: (signal?: AbortSignal) => requestJson(`${BASE}/actions`, ResponseActionList, { signal }),

  /** The destinations declared under `actions.destinations` in the config (names and types only). */
  actionDestinations: (signal?: AbortSignal) => requestJson(`${BASE}/actions/destinations`, DestinationList, { signal }),

  responseAction: (name: string, signal?: AbortSignal) => requestTaggedJson(actionPath(name), ResponseAction, { signal }).then(actionAtRevision),

  /** Every revision, oldest first, deletions included. */
  responseActionRevisions: (name: string, signal?: AbortSignal) => requestJson(`${actionPath(name)}/revisions`, ResponseActionRevisionList, { signal }),

  /** 201 on create, 200 on update; 409 (with the current revision) when the name is taken or someone saved in between; 400 naming the field. */
  saveResponseAction: (name: string, body: SaveResponseAction, precondition: SavePrecondition) =>
    requestTaggedJson(actionPath(name), ResponseAction, { method: 'PUT', body, headers: preconditionHeaders(precondition) }).then(actionAtRevision),

  /** Deletes (200 with the tombstone); with `ifMatch`, only if nobody saved since that revision (else 409). */
  deleteResponseAction: (name: string, options: { ifMatch?: string } = {}) =>
    requestJson(actionPath(name), ResponseAction, { method: 'DELETE', ...(options.ifMatch ? { headers: { 'If-Match': options.ifMatch } } : {}) }),

  /** What an (unsaved) rule would send with today's data: runs its source now. */
  previewResponseAction: (body: SaveResponseAction, signal?: AbortSignal) => requestJson(`${BASE}/actions/preview`, ActionPreview, { method: 'POST', body, signal }),

  /** Fires now and answers once the firing ended (201); a test fire sends to the destinations but only dry-runs responses. */
  fireResponseAction: (name: string, body: FireAction) => requestJson(`${actionPath(name)}/firings`, Firing, { method: 'POST', body }),

  /** The rule's firings, newest first. */
  actionFirings: (name: string, limit = 50, signal?: AbortSignal) =>
    requestJson(`${actionPath(name)}/firings?${new URLSearchParams({ limit: String(limit) })}`, FiringList, { signal }),
};
