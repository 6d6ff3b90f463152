import { RetryLater } from '../domain-errors';

/** A window that is not a valid date range, or longer than the limits allow (→ 400 …/invalid-window). */
export class InvalidWindow extends Error {
  override name = 'InvalidWindow';
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
export class ScanBudgetExhausted extends RetryLater {
  override name = 'ScanBudgetExhausted';
}

/** The execution's result is older than `limits.result_retention`: it is no longer served (410). */
export class ResultExpired extends Error {
  override name = 'ResultExpired';
}

/** The caller's kept results passed `limits.results_quota_per_user` (→ 429 …/results-quota-exceeded with Retry-After: when enough expire). */
export class ResultsQuotaExceeded extends RetryLater {
  override name = 'ResultsQuotaExceeded';
}
