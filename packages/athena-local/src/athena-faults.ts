/** Athena's failure of a query, as the peer should report it. */
export interface InjectedFailure {
  /** Athena's (Trino's) error name, which leads the message: HIVE_BAD_DATA, COLUMN_NOT_FOUND, … */
  errorCode: string;
  message: string;
  /** AthenaError.ErrorCategory: 1 system, 2 user, 3 other. Default 2. */
  errorCategory?: number;
  /** AthenaError.ErrorType from Athena's error catalog. Default 1000 (user error). */
  errorType?: number;
}

/**
 * Faults for the next requests or executions, per test. Each applies `times` times (default 1)
 * and is used up in order.
 */
export class AthenaFaults {
  private throttles: Array<{ left: number; operation?: string; type: 'ThrottlingException' | 'TooManyRequestsException' }> = [];
  private queueDelays: Array<{ left: number; ms: number }> = [];
  private failures: Array<{ left: number; failure: InjectedFailure }> = [];
  private slowResultDelays: Array<{ left: number; ms: number }> = [];

  /** Answer the next `times` requests (of `operation`, or any) with ThrottlingException (400), or TooManyRequestsException. */
  throttle(options: { times: number; operation?: string; type?: 'ThrottlingException' | 'TooManyRequestsException' }): void {
    this.throttles.push({ left: options.times, type: options.type ?? 'ThrottlingException', ...(options.operation !== undefined ? { operation: options.operation } : {}) });
  }

  /** The next executions stay QUEUED this long (until stopped). */
  delayQueue(ms: number, times = 1): void {
    this.queueDelays.push({ left: times, ms });
  }

  /** The next executions end FAILED with this error instead of running. */
  failNext(failure: InjectedFailure, times = 1): void {
    this.failures.push({ left: times, failure });
  }

  /** The next executions stay RUNNING this long after their result is ready, before writing it. */
  slowResults(ms: number, times = 1): void {
    this.slowResultDelays.push({ left: times, ms });
  }

  clear(): void {
    this.throttles = [];
    this.queueDelays = [];
    this.failures = [];
    this.slowResultDelays = [];
  }

  takeThrottle(operation: string): 'ThrottlingException' | 'TooManyRequestsException' | undefined {
    const fault = this.throttles.find((t) => t.left > 0 && (t.operation === undefined || t.operation === operation));
    if (!fault) return undefined;
    fault.left--;
    return fault.type;
  }

  takeQueueDelay(): number {
    return take(this.queueDelays)?.ms ?? 0;
  }

  takeFailure(): InjectedFailure | undefined {
    return take(this.failures)?.failure;
  }

  takeSlowResults(): number {
    return take(this.slowResultDelays)?.ms ?? 0;
  }
}

function take<T extends { left: number }>(list: T[]): T | undefined {
  const fault = list.find((f) => f.left > 0);
  if (fault) fault.left--;
  return fault;
}
