import { z } from 'zod';

/** Stable problem `type` URIs (RFC 9457). Clients switch on these, never on titles or details. */
export const PROBLEM_BASE = 'https://access-monitor.dev/problems/';
export const ProblemTypes = {
  sqlRejected: `${PROBLEM_BASE}sql-rejected`,
  sqlInvalid: `${PROBLEM_BASE}sql-invalid`,
  invalidRequest: `${PROBLEM_BASE}invalid-request`,
  invalidWindow: `${PROBLEM_BASE}invalid-window`,
  notFound: `${PROBLEM_BASE}not-found`,
  conflict: `${PROBLEM_BASE}conflict`,
  preconditionRequired: `${PROBLEM_BASE}precondition-required`,
  forbidden: `${PROBLEM_BASE}forbidden`,
  /** 403 behind Teleport: the app's JWT has no `roles` claim (its `rewrite.jwt_claims` is `traits` or `none`). */
  noRolesClaim: `${PROBLEM_BASE}no-roles-claim`,
  unauthenticated: `${PROBLEM_BASE}unauthenticated`,
  engineFailed: `${PROBLEM_BASE}engine-failed`,
  /** Athena kept throttling after every retry: try again later (503). */
  engineThrottled: `${PROBLEM_BASE}engine-throttled`,
  /** The configured role_arn could not be assumed; the detail names the role and STS's reason. */
  assumeRoleFailed: `${PROBLEM_BASE}assume-role-failed`,
  dataUnavailable: `${PROBLEM_BASE}data-unavailable`,
  resultNotReady: `${PROBLEM_BASE}result-not-ready`,
  resultGone: `${PROBLEM_BASE}result-gone`,
  tooManyRequests: `${PROBLEM_BASE}too-many-requests`,
  /** `limits.scan_budget` is spent until it refills (429 with Retry-After). */
  scanBudgetExhausted: `${PROBLEM_BASE}scan-budget-exhausted`,
  scanLimit: `${PROBLEM_BASE}scan-limit`,
  /** The result grew past `limits.max_result_bytes`; the query was stopped and nothing kept. */
  resultTooLarge: `${PROBLEM_BASE}result-too-large`,
  payloadTooLarge: `${PROBLEM_BASE}payload-too-large`,
  /** The request's headers (cookies included) passed Node's 16 KB limit: answered 431 before any route. */
  headersTooLarge: `${PROBLEM_BASE}headers-too-large`,
  /** The caller's kept results passed `limits.results_quota_per_user`: 429 until some expire (the detail says when). */
  resultsQuotaExceeded: `${PROBLEM_BASE}results-quota-exceeded`,
  internal: `${PROBLEM_BASE}internal`,
} as const;
export type ProblemType = (typeof ProblemTypes)[keyof typeof ProblemTypes];

/** 1-based line and column in the SQL the user wrote; `length`: characters of the token there, when known (the underline). */
export const SqlPosition = z.object({ line: z.number().int(), column: z.number().int(), offset: z.number().int(), length: z.number().int().min(1).optional() });
export type SqlPosition = z.infer<typeof SqlPosition>;

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  position: SqlPosition.optional(),
  /** Per-field validation errors: `path` is dotted (`body.days`). */
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** On a 409 conflicting edit: the revision someone else saved, so the UI can show both. */
  currentRevision: z.number().int().optional(),
  currentEtag: z.string().optional(),
  current: z.unknown().optional(),
});
export type Problem = z.infer<typeof Problem>;
