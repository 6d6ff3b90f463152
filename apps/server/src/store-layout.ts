// Where the server keeps its state in the report_results ObjectStore (DESIGN §5). Every object key is
// built here and nowhere else; `STORE_LAYOUT` describes the folders, and DESIGN §5 can be written from it.
// The store has no deletes (the IAM policy grants PutObject/GetObject only): records are revised by new
// keys, races are settled by create-only (If-None-Match: *) and compare-and-swap (If-Match) puts.
import { createHash } from 'node:crypto';

/** Largest epoch millisecond an inverted-time prefix supports (year 2286). */
const INVERT_FROM = 9_999_999_999_999;
/** Newest first when listed: keys that start with this sort by descending time. */
export const invertedTime = (epochMs: number): string => String(INVERT_FROM - epochMs).padStart(13, '0');
const revisionFile = (revision: number): string => `rev-${String(revision).padStart(8, '0')}.json`;

/** Run ids sort by start time and carry no user input: `r<yyyymmddHHMMss>-<12 hex>`. */
export const RUN_ID = /^r\d{14}-[0-9a-f]{12}$/;

export const reportKeys = {
  state: (report: string, days: number): string => `report-states/${report}/${days}d.json`,
  manifest: (runId: string): string => `runs/${runId}/manifest.json`,
  runFolder: (runId: string): string => `runs/${runId}/`,
  /** The detail result of one query of a run, as Athena CSV (+ `.metadata.json`, `.index.json` beside it). */
  resultCsv: (runId: string, queryId: string): string => `runs/${runId}/${queryId}.csv`,
  resultMetadata: (runId: string, queryId: string): string => `runs/${runId}/${queryId}.csv.metadata.json`,
  runIndex: (report: string, days: number, startedAtMs: number, runId: string): string => `report-runs/${report}/${days}d/${invertedTime(startedAtMs)}-${runId}.json`,
  runIndexPrefix: (report: string, days: number): string => `report-runs/${report}/${days}d/`,
  /** A scheduler slot: created once across all instances, so the slot's refresh runs once. */
  scheduleSlot: (report: string, days: number, slot: string): string => `schedule/${report}/${days}d/${slot}.json`,
  customReportsFolder: 'reports',
  customReportsPrefix: 'reports/',
  customReportPrefix: (name: string): string => `reports/${name}/`,
  customReport: (name: string, revision: number): string => `reports/${name}/${revisionFile(revision)}`,
};

export const executionKeys = {
  /** One user's history, newest first (`service:<origin>` for the server's own queries). */
  userPrefix: (user: string): string => `executions/${encodeURIComponent(user)}/`,
  allPrefix: 'executions/',
  record: (user: string, submittedAtMs: number, id: string): string => `executions/${encodeURIComponent(user)}/${invertedTime(submittedAtMs)}-${id}.json`,
  /** Everyone's history, newest first: a copy of each record, so listing everyone's is one key-ordered listing. */
  timelinePrefix: 'execution-timeline/',
  timeline: (submittedAtMs: number, id: string): string => `execution-timeline/${invertedTime(submittedAtMs)}-${id}.json`,
  /** Written once records older than the timeline have been copied into it. */
  timelineBackfilled: 'execution-timeline-backfilled.json',
  /** Who started an execution, by its id. */
  owner: (id: string): string => `execution-owners/${id}.json`,
  /** Running slot `n` of a user (`limits.max_running_per_user` across instances), revised by compare-and-swap. */
  slot: (user: string, n: number): string => `execution-slots/${encodeURIComponent(user)}/${n}.json`,
};

/**
 * `limits.results_quota_per_user`: one empty object per kept result of a person's query, its size in the key, newest
 * first; listing a user's folder until results are past retention sums what they keep without reading any object.
 */
export const resultUsageKeys = {
  userPrefix: (user: string): string => `result-usage/${encodeURIComponent(user)}/`,
  entry: (user: string, finishedAtMs: number, id: string, bytes: number): string => `result-usage/${encodeURIComponent(user)}/${invertedTime(finishedAtMs)}-${id}-${bytes}.json`,
  /** An entry's name (the key after `userPrefix`) read back; undefined for anything else. */
  parse: (name: string): { finishedAtMs: number; id: string; bytes: number } | undefined => {
    const m = /^(\d{13})-(.+)-(\d+)\.json$/.exec(name);
    return m ? { finishedAtMs: INVERT_FROM - Number(m[1]), id: m[2]!, bytes: Number(m[3]) } : undefined;
  },
};

/** `limits.scan_budget`: bytes reserved in one refill period (epoch ms of its start), revised by compare-and-swap. */
export const scanBudgetKeys = {
  period: (startMs: number): string => `scan-budget/${startMs}.json`,
};

/** Saved audit queries: `queries/<name>/rev-<n>.json`. */
export const SAVED_QUERIES_PREFIX = 'queries';

/**
 * Response actions: rules as revisions; a firing per slot, whose key is the slot alone for scheduled
 * firings (two instances claiming one slot race for one create-only key); the rows a firing sent.
 */
export const actionKeys = {
  rulesPrefix: 'actions/rules',
  firingsPrefix: (rule: string): string => `actions/firings/${rule}/`,
  firing: (rule: string, suffix: string): string => `actions/firings/${rule}/${suffix}.json`,
  sentPrefix: (rule: string): string => `actions/sent/${rule}/`,
  sent: (rule: string, suffix: string): string => `actions/sent/${rule}/${suffix}.json`,
  scheduledSuffix: (slot: Date): string => `${invertedTime(slot.getTime())}-schedule`,
  manualSuffix: (at: Date, trigger: 'manual' | 'test' | 'schedule', nonce: string): string => `${invertedTime(at.getTime())}-${trigger}-${nonce}`,
};

/** Triage: one create-only object per revision of an entity of a finding. */
export const triageKeys = {
  report: (report: string): string => `triage/${report}/`,
  finding: (report: string, finding: string): string => `triage/${report}/${finding}/`,
  entity: (report: string, finding: string, entityKey: string): string => `triage/${report}/${finding}/${createHash('sha256').update(entityKey).digest('hex')}/`,
  revision: (report: string, finding: string, entityKey: string, revision: number): string => `${triageKeys.entity(report, finding, entityKey)}${revisionFile(revision)}`,
};

/** Signed-out sessions (local sign-in): one create-only record per revoked session id, checked on every request. */
export const sessionKeys = {
  revoked: (sessionId: string): string => `sessions/revoked/${sessionId}.json`,
};

/** `/readyz` lists this (empty) prefix to prove the store answers. */
export const READINESS_PREFIX = 'readyz/';

/** Every top-level folder of the store and what it holds, in DESIGN §5's words. */
export const STORE_LAYOUT: ReadonlyArray<{ folder: string; holds: string }> = [
  { folder: 'queries/<name>/rev-<n>.json', holds: 'saved audit queries; a new revision is a create-only put (409 on a race); deletion is a tombstone revision' },
  { folder: 'reports/<name>/rev-<n>.json', holds: 'imported custom security reports, as revisions' },
  { folder: 'report-states/<report>/<days>d.json', holds: 'RUNNING/FAILED/READY + latest run per window, changed by compare-and-swap' },
  { folder: 'runs/<runId>/manifest.json, <query>.csv', holds: 'immutable report runs (the target of permalinks)' },
  { folder: 'report-runs/<report>/<days>d/<inverted-time>-<runId>.json', holds: 'the runs of a window, newest first' },
  { folder: 'schedule/<report>/<days>d/<slot>.json', holds: 'scheduler slots, created once across instances' },
  { folder: 'executions/<user>/<inverted-time>-<id>.json, execution-owners/<id>.json', holds: 'query history of every caller, and who started each execution' },
  { folder: 'execution-timeline/<inverted-time>-<id>.json, execution-timeline-backfilled.json', holds: "everyone's query history, newest first (a copy of each record)" },
  { folder: 'result-usage/<user>/<inverted-time>-<id>-<bytes>.json', holds: "the size of each kept result of a person's query, for limits.results_quota_per_user" },
  { folder: 'execution-slots/<user>/<n>.json', holds: "a user's running slots, shared by every instance; free when released, ended or past their lease" },
  { folder: 'actions/rules/<name>/rev-<n>.json', holds: 'response actions, as revisions' },
  { folder: 'actions/firings/<rule>/<inverted-slot>-<trigger>.json', holds: 'firings: created once per (rule, slot) across instances' },
  { folder: 'actions/sent/<rule>/<firing>.json', holds: 'the rows a firing sent, written before delivery' },
  { folder: 'triage/<report>/<finding>/<sha256(entity)>/rev-<n>.json', holds: 'triage of finding entities, as revisions' },
  { folder: 'sessions/revoked/<session id>.json', holds: 'signed-out local sessions, refused by every instance until they expire' },
  { folder: 'readyz/', holds: 'nothing: listed by /readyz' },
];
