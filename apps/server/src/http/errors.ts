/** Errors raised by the server itself. Engine and SQL errors have their own classes in their packages. */
export class InvalidWindow extends Error {
  override name = 'InvalidWindow';
}

export class NotFound extends Error {
  override name = 'NotFound';
}

/** The caller's roles do not allow this on this resource (someone else's execution, say): 403 …/forbidden. */
export class Forbidden extends Error {
  override name = 'Forbidden';
}

/** A query the server ran on the user's behalf (a usage chart) did not succeed. */
export class EngineFailed extends Error {
  override name = 'EngineFailed';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** The caller already has `limits.max_running_per_user` queries queued or running. */
export class TooManyRunningQueries extends Error {
  override name = 'TooManyRunningQueries';
}

/** `limits.scan_budget` is spent for this period (→ 429 …/scan-budget-exhausted with Retry-After: the refill). */
export class ScanBudgetExhausted extends Error {
  override name = 'ScanBudgetExhausted';
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(message);
  }
}

/** A report window finished a run moments ago; like Teleport, a user re-run waits a minute (→ 429 with Retry-After). */
export class ReportRerunTooSoon extends Error {
  override name = 'ReportRerunTooSoon';
  constructor(readonly retryAfterSeconds: number) {
    super(`this report window finished a run less than a minute ago; run it again in ${retryAfterSeconds} s (or use the run that just finished)`);
  }
}

/** Someone saved in between: carries the revision the caller should reload or overwrite deliberately. */
export class RevisionConflict extends Error {
  override name = 'RevisionConflict';
  constructor(
    message: string,
    readonly current?: { revision: number; etag: string; value: unknown },
  ) {
    super(message);
  }
}

/** A save without If-Match (update) or If-None-Match: * (create). */
export class PreconditionRequired extends Error {
  override name = 'PreconditionRequired';
}

/** The execution's result is older than `limits.result_retention`: it is no longer served (410). */
export class ResultExpired extends Error {
  override name = 'ResultExpired';
}

/** A built-in security report (or one of its queries) cannot be created, changed or deleted. */
export class ReadOnlyReport extends Error {
  override name = 'ReadOnlyReport';
}

/** A stored report run or one of its result files is missing, unreadable or does not match its manifest. */
export class StoredResultUnavailable extends Error {
  override name = 'StoredResultUnavailable';
}
