import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { ProblemTypes, type Problem } from '@access-monitor/contracts';
import { SqlInvalid, SqlRejected } from '@access-monitor/sql';
import { EngineError } from '@access-monitor/engine';
import { Forbidden, NotFound, RetryLater } from '../domain-errors';
import { EngineFailed, ScanBudgetExhausted, InvalidWindow, ResultExpired, ResultsQuotaExceeded, TooManyRunningQueries } from '../executions/execution-errors';
import { ReportRerunTooSoon, ReadOnlyReport, StoredResultUnavailable } from '../reports/report-errors';
import { PreconditionRequired, RevisionConflict } from '../revisions/revision-errors';
import { LoginsBusy, TooManyLoginAttempts, Unauthenticated } from '../identity/identity-errors';
import { InvalidAction } from '../actions/action-errors';

type ProblemOf = (err: Error) => Omit<Problem, 'instance'> | undefined;

/** One table from error class to problem. Never matches on message text. */
const PROBLEMS: Array<[new (...args: never[]) => Error, ProblemOf]> = [
  [SqlRejected, (e) => ({ type: ProblemTypes.sqlRejected, title: 'SQL statement not allowed', status: 400, detail: e.message, ...position(e) })],
  [SqlInvalid, (e) => ({ type: ProblemTypes.sqlInvalid, title: 'SQL does not parse', status: 400, detail: e.message, ...position(e) })],
  [
    RevisionConflict,
    (e) => {
      const current = (e as RevisionConflict).current;
      return {
        type: ProblemTypes.conflict,
        title: 'Conflicting edit',
        status: 409,
        detail: e.message,
        ...(current ? { currentRevision: current.revision, currentEtag: current.etag, current: current.value } : {}),
      };
    },
  ],
  [PreconditionRequired, (e) => ({ type: ProblemTypes.preconditionRequired, title: 'Precondition required', status: 428, detail: e.message })],
  [TooManyRunningQueries, (e) => ({ type: ProblemTypes.tooManyRequests, title: 'Too many running queries', status: 429, detail: e.message })],
  [ReportRerunTooSoon, (e) => ({ type: ProblemTypes.tooManyRequests, title: 'Report ran moments ago', status: 429, detail: e.message })],
  [ScanBudgetExhausted, (e) => ({ type: ProblemTypes.scanBudgetExhausted, title: 'Scan budget exhausted', status: 429, detail: e.message })],
  [ResultsQuotaExceeded, (e) => ({ type: ProblemTypes.resultsQuotaExceeded, title: 'Results quota exceeded', status: 429, detail: e.message })],
  [
    InvalidAction,
    (e) => ({ type: ProblemTypes.invalidRequest, title: 'Invalid response action', status: 400, detail: e.message, errors: [{ path: (e as InvalidAction).path, message: e.message }] }),
  ],
  [InvalidWindow, (e) => ({ type: ProblemTypes.invalidWindow, title: 'Invalid time window', status: 400, detail: e.message })],
  [NotFound, (e) => ({ type: ProblemTypes.notFound, title: 'Not found', status: 404, detail: e.message })],
  [Forbidden, (e) => ({ type: ProblemTypes.forbidden, title: 'Access denied', status: 403, detail: e.message })],
  [ResultExpired, (e) => ({ type: ProblemTypes.resultGone, title: 'Result expired', status: 410, detail: e.message })],
  [StoredResultUnavailable, (e) => ({ type: ProblemTypes.resultGone, title: 'Stored report result unavailable', status: 410, detail: e.message })],
  [ReadOnlyReport, (e) => ({ type: ProblemTypes.conflict, title: 'Built-in report is read-only', status: 409, detail: e.message })],
  [EngineFailed, (e) => ({ type: ProblemTypes.engineFailed, title: 'Query engine failed', status: 502, detail: e.message })],
  [Unauthenticated, (e) => ({ type: ProblemTypes.unauthenticated, title: 'Not authenticated', status: 401, detail: e.message })],
  [TooManyLoginAttempts, (e) => ({ type: ProblemTypes.tooManyRequests, title: 'Too many login attempts', status: 429, detail: e.message })],
  [LoginsBusy, (e) => ({ type: ProblemTypes.tooManyRequests, title: 'Too many logins at once', status: 429, detail: e.message })],
];

function position(e: Error): Pick<Problem, 'position'> {
  const p = (e as SqlRejected | SqlInvalid).position;
  return p ? { position: p } : {};
}

export function problemFor(err: unknown): Omit<Problem, 'instance'> {
  if (err instanceof ZodError) {
    return {
      type: ProblemTypes.invalidRequest,
      title: 'Invalid request',
      status: 400,
      detail: err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
      errors: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    };
  }
  // Engine errors declare their own problem (type, status, title); the message is the detail.
  if (err instanceof EngineError) return { ...err.problem, detail: err.message };
  if (err instanceof Error) {
    for (const [cls, toProblem] of PROBLEMS) if (err instanceof cls) return toProblem(err)!;
    const bodyError = err as Error & { type?: string; status?: number };
    if (bodyError.type === 'entity.parse.failed') {
      return { type: ProblemTypes.invalidRequest, title: 'Malformed JSON body', status: 400, detail: 'The request body is not valid JSON.' };
    }
    if (bodyError.type === 'entity.too.large') {
      return { type: ProblemTypes.payloadTooLarge, title: 'Request body too large', status: 413, detail: 'The request body exceeds the size limit.' };
    }
    // Refused by Express or the body parser before any handler (an unsupported charset or encoding, a
    // malformed %-escape in the path): their own 4xx, never a 500.
    if (typeof bodyError.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) {
      return { type: ProblemTypes.invalidRequest, title: 'Invalid request', status: bodyError.status, detail: err.message };
    }
    if (err instanceof URIError) return { type: ProblemTypes.invalidRequest, title: 'Invalid request', status: 400, detail: 'The request path holds a malformed %-escape.' };
  }
  return { type: ProblemTypes.internal, title: 'Internal server error', status: 500, detail: 'The server failed to handle the request; the error is in the server log with this request id.' };
}

export function sendProblem(res: Parameters<RequestHandler>[1], problem: Omit<Problem, 'instance'>, instance?: string): void {
  res.status(problem.status).type('application/problem+json').json({ ...problem, ...(instance ? { instance } : {}) });
}

export const problemHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const problem = problemFor(err);
  if (problem.status >= 500) req.log?.error({ err }, 'request failed');
  else req.log?.info({ problem: problem.type }, 'request refused');
  if (res.headersSent) {
    res.destroy(err instanceof Error ? err : undefined);
    return;
  }
  if (err instanceof RetryLater) res.set('Retry-After', String(err.retryAfterSeconds));
  sendProblem(res, problem, req.originalUrl);
};

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, { type: ProblemTypes.notFound, title: 'Not found', status: 404, detail: `No route for ${req.method} ${req.path}` }, req.originalUrl);
};
