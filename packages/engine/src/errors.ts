import type { ExecutionState } from '@access-monitor/contracts';

/** The audit data folder (or bucket) cannot be read: missing, not a folder, or not readable. */
export class DataUnavailable extends Error {
  override readonly name = 'DataUnavailable';
  constructor(
    readonly location: string,
    reason: string,
  ) {
    super(`audit data at ${location} is unavailable: ${reason}`);
  }
}

/** No execution has this id (or the id is not one this engine could have issued). */
export class ExecutionNotFound extends Error {
  override readonly name = 'ExecutionNotFound';
  constructor(readonly id: string) {
    super(`no execution with id ${JSON.stringify(id)}`);
  }
}

/** The execution exists but has no result to read: it is still running, or it failed or was cancelled. */
export class ResultNotReady extends Error {
  override readonly name = 'ResultNotReady';
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
export class ResultUnavailable extends Error {
  override readonly name = 'ResultUnavailable';
  constructor(
    readonly id: string,
    reason: string,
  ) {
    super(`the result of execution ${id} is unavailable: ${reason}`);
  }
}

/** The statement would scan more than the caller's budget; nothing ran. */
export class ScanLimitExceeded extends Error {
  override readonly name = 'ScanLimitExceeded';
  constructor(
    readonly limitBytes: number,
    readonly estimatedBytes: number,
  ) {
    super(`the query would scan ${formatBytes(estimatedBytes)} (${estimatedBytes} bytes), over the limit of ${formatBytes(limitBytes)} (${limitBytes} bytes)`);
  }
}

/** Too many executions are waiting already; retry later. */
export class EngineBusy extends Error {
  override readonly name = 'EngineBusy';
  constructor(readonly queued: number) {
    super(`the query engine is busy: ${queued} executions are already waiting`);
  }
}

/** The engine was closed (the server is shutting down). */
export class EngineClosed extends Error {
  override readonly name = 'EngineClosed';
  constructor() {
    super('the query engine is shut down');
  }
}

/** The same idempotency token was used for a different statement or window. */
export class IdempotencyConflict extends Error {
  override readonly name = 'IdempotencyConflict';
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
export class AthenaThrottled extends Error {
  override readonly name = 'AthenaThrottled';
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
export class AssumeRoleFailed extends Error {
  override readonly name = 'AssumeRoleFailed';
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
export class AthenaRequestFailed extends Error {
  override readonly name = 'AthenaRequestFailed';
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
