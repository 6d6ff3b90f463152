import { RetryLater } from '../domain-errors';

/** A report window finished a run moments ago; like Teleport, a user re-run waits a minute (→ 429 with Retry-After). */
export class ReportRerunTooSoon extends RetryLater {
  override name = 'ReportRerunTooSoon';
  constructor(retryAfterSeconds: number) {
    super(retryAfterSeconds, `this report window finished a run less than a minute ago; run it again in ${retryAfterSeconds} s (or use the run that just finished)`);
  }
}

/** A built-in security report (or one of its queries) cannot be created, changed or deleted. */
export class ReadOnlyReport extends Error {
  override name = 'ReadOnlyReport';
}

/** A stored report run or one of its result files is missing, unreadable or does not match its manifest. */
export class StoredResultUnavailable extends Error {
  override name = 'StoredResultUnavailable';
}
