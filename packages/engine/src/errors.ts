import { ProblemTypes, type ExecutionState, type ProblemType } from '@access-monitor/contracts';

/** The problem+json an engine error answers with (its detail is the message): the server maps every engine error the same way. */
export interface EngineProblem {
  type: ProblemType;
  status: number;
  title: string;
}

/** An engine error that declares its problem type, HTTP status and title. */
export abstract class EngineError extends Error {
  abstract readonly problem: EngineProblem;
}

/** The audit data folder (or bucket) cannot be read: missing, not a folder, or not readable. */
export class DataUnavailable extends EngineError {
  override readonly name = 'DataUnavailable';
  readonly problem: EngineProblem = { type: ProblemTypes.dataUnavailable, status: 503, title: 'Audit data unavailable' };
  constructor(
    readonly location: string,
    reason: string,
  ) {
    super(`audit data at ${location} is unavailable: ${reason}`);
  }
}

/** No execution has this id (or the id is not one this engine could have issued). */
export class ExecutionNotFound extends EngineError {
  override readonly name = 'ExecutionNotFound';
  readonly problem: EngineProblem = { type: ProblemTypes.notFound, status: 404, title: 'Execution not found' };
  constructor(readonly id: string) {
    super(`no execution with id ${JSON.stringify(id)}`);
  }
}

/** The execution exists but has no result to read: it is still running, or it failed or was cancelled. */
export class ResultNotReady extends EngineError {
  override readonly name = 'ResultNotReady';
  readonly problem: EngineProblem = { type: ProblemTypes.resultNotReady, status: 409, title: 'Result not ready' };
  constructor(
    readonly id: string,
    readonly state: ExecutionState,
  ) {
    super(
      state === 'QUEUED' || state === 'RUNNING'
        ? `execution ${id} is ${state}; its result is not ready yet`
        : `execution ${id} ended ${state} and has no result`,
    );
  }
}

/** The execution SUCCEEDED but its result files are missing or unreadable (deleted by retention, corrupted). */
export class ResultUnavailable extends EngineError {
  override readonly name = 'ResultUnavailable';
  readonly problem: EngineProblem = { type: ProblemTypes.resultGone, status: 410, title: 'Result no longer available' };
  constructor(
    readonly id: string,
    reason: string,
  ) {
    super(`the result of execution ${id} is unavailable: ${reason}`);
  }
}

/** The statement would scan more than the caller's budget; nothing ran. */
export class ScanLimitExceeded extends EngineError {
  override readonly name = 'ScanLimitExceeded';
  readonly problem: EngineProblem = { type: ProblemTypes.scanLimit, status: 422, title: 'Scan limit exceeded' };
  constructor(
    readonly limitBytes: number,
    readonly estimatedBytes: number,
  ) {
    super(`the query would scan ${formatBytes(estimatedBytes)} (${estimatedBytes} bytes), over the limit of ${formatBytes(limitBytes)} (${limitBytes} bytes)`);
  }
}

/** Too many executions are waiting already; retry later. */
export class EngineBusy extends EngineError {
  override readonly name = 'EngineBusy';
  readonly problem: EngineProblem = { type: ProblemTypes.engineThrottled, status: 503, title: 'Query engine busy' };
  constructor(readonly queued: number) {
    super(`the query engine is busy: ${queued} executions are already waiting`);
  }
}

/** The engine was closed (the server is shutting down). */
export class EngineClosed extends EngineError {
  override readonly name = 'EngineClosed';
  readonly problem: EngineProblem = { type: ProblemTypes.engineFailed, status: 503, title: 'Query engine shut down' };
  constructor() {
    super('the query engine is shut down');
  }
}

/** The same idempotency token was used for a different statement or window. */
export class IdempotencyConflict extends EngineError {
  override readonly name = 'IdempotencyConflict';
  readonly problem: EngineProblem = { type: ProblemTypes.conflict, status: 409, title: 'Idempotency token reused' };
  constructor(readonly id: string) {
    super(`this request token already started execution ${id} with a different statement or window`);
  }
}

/** `1.5 GB`: sizes in the engines' error messages. */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Athena kept throttling a request (ThrottlingException, TooManyRequestsException) after every retry; try again later (503). */
export class AthenaThrottled extends EngineError {
  override readonly name = 'AthenaThrottled';
  readonly problem: EngineProblem = { type: ProblemTypes.engineThrottled, status: 503, title: 'Amazon Athena is throttling requests' };
  constructor(
    readonly operation: string,
    /** Athena's error name: ThrottlingException or TooManyRequestsException. */
    readonly code: string,
    readonly attempts: number,
    reason: string,
  ) {
    super(`Amazon Athena is throttling ${operation} (${code}: ${reason}); gave up after ${attempts} attempts, try again later`);
  }
}

/** The configured role_arn could not be assumed; carries STS's own error code and message (e.g. AccessDenied). */
export class AssumeRoleFailed extends EngineError {
  override readonly name = 'AssumeRoleFailed';
  readonly problem: EngineProblem = { type: ProblemTypes.assumeRoleFailed, status: 502, title: 'Cannot assume the Access Monitoring role' };
  constructor(
    readonly roleArn: string,
    /** STS's error code: AccessDenied, ExpiredToken, RegionDisabledException, … */
    readonly code: string,
    readonly reason: string,
  ) {
    super(`cannot assume the role ${roleArn}: ${code}: ${reason}`);
  }
}

/** Athena refused a request for another reason than throttling (AccessDeniedException, InvalidRequestException, …). */
export class AthenaRequestFailed extends EngineError {
  override readonly name = 'AthenaRequestFailed';
  readonly problem: EngineProblem = { type: ProblemTypes.engineFailed, status: 502, title: 'Amazon Athena refused the request' };
  constructor(
    readonly operation: string,
    /** Athena's error name: AccessDeniedException, InvalidRequestException, … */
    readonly code: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`Amazon Athena refused ${operation}: ${code}: ${reason}`, options);
  }
}
