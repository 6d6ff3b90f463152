/**
 * Errors every concept of the server raises; the HTTP layer maps them to problems (http/problem-handler.ts).
 * Errors of one concept live beside it (executions/execution-errors.ts, reports/report-errors.ts, …).
 */

/** The named thing does not exist, or is deleted (→ 404 …/not-found). */
export class NotFound extends Error {
  override name = 'NotFound';
}

/** Refused for now; the error handler answers 429 with `Retry-After: retryAfterSeconds`. */
export class RetryLater extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(message);
  }
}

/** The caller's roles do not allow this on this resource (someone else's execution, say): 403 …/forbidden. */
export class Forbidden extends Error {
  override name = 'Forbidden';
}
