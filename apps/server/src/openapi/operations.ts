import { z } from 'zod';
import {
  ActionPreview,
  DestinationList,
  FireAction,
  Firing,
  FiringList,
  ResponseAction,
  ResponseActionList,
  SaveResponseAction,
  AuditQueryDetail,
  AuditSchema,
  ReportList,
  ReportRun,
  ReportRunList,
  ReportRunStarted,
  ReportRunsQuery,
  ReportSummary,
  StartReportRun,
  EvidencePublicKey,
  FindingRowsPage,
  SaveTriage,
  TriageList,
  TriageQuery,
  TriageRecord,
  Timeline,
  TimelineQuery,
  Execution,
  ExecutionEstimate,
  ExecutionList,
  ExecutionsQuery,
  IsoDate,
  LoginRequest,
  RestoreQuery,
  RevisionList,
  SavedQueriesQuery,
  SaveQuery,
  SavedQuery,
  SavedQueryList,
  Me,
  Problem,
  ResultsPage,
  ResultsQuery,
  CsvDownloadQuery,
  StartExecution,
  UsageOverview,
  UsageQuery,
} from '@access-monitor/contracts';

export interface Operation {
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Status → JSON schema of the body; `text/csv` for the download. */
  responses: Record<number, z.ZodType | 'text/csv' | 'application/zip' | null>;
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
  'POST /executions': {
    summary: 'Run SQL over a window of the audit log; query names the saved query it came from, which must exist and be readable by the caller (else 404)',
    body: StartExecution,
    responses: { 202: Execution, 400: Problem, 404: Problem, 422: Problem },
  },
  'GET /executions/estimate': {
    summary: 'Bytes a run over the window would scan, from the partitions it touches (null when the engine cannot tell), and limits.max_bytes_scanned',
    // EstimateQuery is "days [end]" or "start end"; documented as one object of optional parameters.
    query: z.object({ days: z.number().int().optional(), start: IsoDate.optional(), end: IsoDate.optional() }),
    responses: { 200: ExecutionEstimate, 400: Problem },
  },
  'GET /executions/:id': { summary: 'State of an execution', responses: { 200: Execution, 404: Problem } },
  'DELETE /executions/:id': {
    summary: "Cancel: stops the engine's query. One's own, or anyone's (server-run ones included) with update on audit_query; otherwise 403",
    responses: { 202: Execution, 403: Problem, 404: Problem },
  },
  'GET /executions/:id/results': {
    summary: 'A page of result rows; 410 …/result-gone once limits.result_retention has passed',
    query: ResultsQuery,
    responses: { 200: ResultsPage, 409: Problem, 410: Problem },
  },
  'GET /executions/:id/results.csv': {
    summary:
      "The whole result as CSV, streamed with no row cap; named after the saved query (when run from one) and the window. Cells that would start a spreadsheet formula (= + - @ tab CR) get a ' prefix; raw=true gives the stored bytes exactly",
    query: CsvDownloadQuery,
    responses: { 200: 'text/csv', 409: Problem, 410: Problem },
  },
  'GET /queries': {
    summary: 'Saved audit queries (latest revision of each); with deleted=true, the deleted ones instead (each tombstone: who deleted it, when)',
    query: SavedQueriesQuery,
    responses: { 200: SavedQueryList, 400: Problem },
  },
  'GET /queries/:name': { summary: 'A saved audit query; its revision is the ETag', responses: { 200: SavedQuery, 404: Problem } },
  'GET /queries/:name/revisions': { summary: 'Every revision of a saved query, tombstones included', responses: { 200: RevisionList } },
  'PUT /queries/:name': {
    summary: 'Save: create with If-None-Match: * (create on audit_query), update with If-Match: <ETag> (update on audit_query)',
    body: SaveQuery,
    responses: { 200: SavedQuery, 201: SavedQuery, 400: Problem, 409: Problem, 428: Problem },
  },
  'DELETE /queries/:name': { summary: 'Delete: writes a tombstone revision (restorable)', responses: { 204: null, 404: Problem, 409: Problem } },
  'POST /queries/:name/restore': {
    summary: "Restore a deleted query: writes the given revision's content as a new revision; If-Match: <ETag> of the tombstone is required (409 when the query changed since, 428 without it)",
    body: RestoreQuery,
    responses: { 201: SavedQuery, 400: Problem, 404: Problem, 409: Problem, 428: Problem },
  },
  'GET /usage/overview': { summary: 'Usage-pattern charts for a 7, 30, 90 or 120-day window', query: UsageQuery, responses: { 200: UsageOverview, 400: Problem } },
  'GET /reports': { summary: 'Security reports (built-in and imported), each with its state per window (7, 30, 90, 120 days)', responses: { 200: ReportList } },
  'GET /reports/:name': { summary: 'A security report: its audit queries and its state per window', responses: { 200: ReportSummary, 404: Problem } },
  'GET /reports/:name/queries/:id': { summary: "An audit query's definition: chart and detail SQL, severity, recommendation", responses: { 200: AuditQueryDetail, 404: Problem } },
  'POST /reports/:name/runs': {
    summary: 'Run the report for a window (RUNNING → READY | FAILED); joins the run of the same report and window already under way',
    body: StartReportRun,
    responses: { 202: ReportRunStarted, 400: Problem, 404: Problem },
  },
  'GET /reports/:name/runs': { summary: 'Finished runs of the report for one window, newest first', query: ReportRunsQuery, responses: { 200: ReportRunList, 400: Problem, 404: Problem } },
  'GET /runs/:runId': { summary: 'An immutable report run (the permalink): per query its state, row count, chart, period diff and SHA-256', responses: { 200: ReportRun, 404: Problem, 410: Problem } },
  'GET /runs/:runId/queries/:id/rows': {
    summary: "A page of a finding's detail rows, as stored by the run, with the finding's entity columns and each row's triage exception in force (or null)",
    query: ResultsQuery,
    responses: { 200: FindingRowsPage, 404: Problem, 409: Problem, 410: Problem },
  },
  'GET /reports/:name/triage': {
    summary: 'Triage exceptions in force for every finding of the report (accepted risks not yet expired, false positives); with log=true every revision, newest first',
    query: TriageQuery,
    responses: { 200: TriageList, 400: Problem, 404: Problem },
  },
  'PUT /reports/:name/findings/:id/triage': {
    summary: "Triage one entity of a finding (its entity columns' values): accepted_risk until expires (at most triage.max_accepted_risk_days ahead), false_positive, or open again; each save is a new immutable revision",
    body: SaveTriage,
    responses: { 201: TriageRecord, 400: Problem, 404: Problem, 409: Problem },
  },
  'GET /timeline': {
    summary: "One user's (user=) or one session's (session=) audit events in a report window, oldest first, each with a one-line summary",
    query: TimelineQuery,
    responses: { 200: Timeline, 400: Problem },
  },
  'GET /runs/:runId/evidence.zip': {
    summary: 'Evidence for auditors: manifest.json (SQL, window, engine, times, bytes scanned, row counts, SHA-256 of each file) signed with Ed25519 (manifest.sig), the public key and the result CSVs',
    responses: { 200: 'application/zip', 404: Problem, 410: Problem },
  },
  'GET /evidence/public-key': { summary: 'The Ed25519 public key evidence is signed with, and its fingerprint, to pin (public: access-monitor verify --server fetches it)', responses: { 200: EvidencePublicKey } },
  'GET /runs/:runId/queries/:id/rows.csv': {
    summary: "A finding's detail rows as CSV, streamed; named <report>-<query>-<start>_<end>.csv. Spreadsheet-safe like results.csv unless raw=true",
    query: CsvDownloadQuery,
    responses: { 200: 'text/csv', 404: Problem, 409: Problem, 410: Problem },
  },
  'GET /actions': { summary: 'Response actions (latest revision of each) with their next and last firing', responses: { 200: ResponseActionList } },
  'GET /actions/destinations': { summary: 'Destinations declared under actions.destinations: name and type only, never URLs or secrets', responses: { 200: DestinationList } },
  'POST /actions/preview': {
    summary: "What a rule would send with today's data (rows after triage exceptions and rows already sent), without sending or recording anything",
    body: SaveResponseAction,
    responses: { 200: ActionPreview, 400: Problem },
  },
  'GET /actions/:name': { summary: 'A response action; its revision is the ETag', responses: { 200: ResponseAction, 404: Problem } },
  'GET /actions/:name/revisions': { summary: 'Every revision of a response action, tombstones included', responses: { 200: z.object({ revisions: z.array(ResponseAction) }) } },
  'PUT /actions/:name': {
    summary: 'Create (If-None-Match: *) or update (If-Match: <ETag>) a response action; 400 names the field (schedule, destination, source, response)',
    body: SaveResponseAction,
    responses: { 200: ResponseAction, 201: ResponseAction, 400: Problem, 409: Problem, 428: Problem },
  },
  'DELETE /actions/:name': { summary: 'Delete: writes a tombstone revision; its firings stay readable', responses: { 200: ResponseAction, 404: Problem, 409: Problem } },
  'GET /actions/:name/firings': { summary: 'Firings of a rule, newest first, with per-destination attempts and responses', query: z.object({ limit: z.number().int().optional() }), responses: { 200: FiringList, 404: Problem } },
  'GET /actions/:name/firings/:id': { summary: 'One firing', responses: { 200: Firing, 404: Problem } },
  'POST /actions/:name/firings': {
    summary: 'Fire now (test: true sends to the destinations but locks nobody and leaves the rows new); answers when the firing has ended',
    body: FireAction,
    responses: { 201: Firing, 404: Problem },
  },
};
