import { setTimeout as sleep } from 'node:timers/promises';
import { AthenaThrottled } from '../errors';

export interface RetryPolicy {
  /** Attempts per request, the first included. Default 6. */
  maxAttempts?: number;
  /** Backoff before retry n is a random delay up to min(maxDelayMs, baseDelayMs · 2^n) (full jitter). Default 200 ms. */
  baseDelayMs?: number;
  /** Default 10 s. */
  maxDelayMs?: number;
}

/** What the SDK puts on a service error. */
interface ServiceErrorShape {
  name?: string;
  message?: string;
  Code?: string;
  AthenaErrorCode?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  code?: string;
}

// ThrottlingException is Athena's rate limit; TooManyRequestsException its concurrency limit on StartQueryExecution.
const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException', 'Throttling', 'RequestLimitExceeded', 'SlowDown']);
// The credentials in use have expired or been revoked: fresh ones can succeed where these failed.
const EXPIRED_CREDENTIALS = new Set(['ExpiredTokenException', 'ExpiredToken', 'UnrecognizedClientException', 'InvalidClientTokenId']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

export const errorName = (e: unknown): string => {
  const s = e as ServiceErrorShape | undefined;
  return s?.name ?? s?.Code ?? 'Error';
};

export const isThrottling = (e: unknown): boolean => THROTTLING.has(errorName(e)) || (e as ServiceErrorShape | undefined)?.$metadata?.httpStatusCode === 429;
export const isExpiredCredentials = (e: unknown): boolean => EXPIRED_CREDENTIALS.has(errorName(e));

/** Worth another attempt: server faults (5xx, InternalServerException) and broken connections. */
function isTransient(e: unknown): boolean {
  const s = e as ServiceErrorShape | undefined;
  if (!s || typeof s !== 'object') return false;
  const status = s.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  if (s.$fault === 'server') return true;
  if (errorName(e) === 'TimeoutError' || errorName(e) === 'RequestTimeout') return true;
  return s.code !== undefined && NETWORK_CODES.has(s.code);
}

/**
 * Runs one AWS request with retries: throttling and transient faults back off with full jitter
 * (callers retried together do not come back together); expired credentials are refreshed once
 * through `refreshCredentials` and retried at once. Every other error is thrown as it came.
 * Throttling that outlasts the attempts becomes AthenaThrottled.
 *
 * Only for idempotent requests: StartQueryExecution qualifies through its ClientRequestToken.
 */
export async function withRetries<T>(operation: string, policy: RetryPolicy, call: () => Promise<T>, refreshCredentials?: () => void): Promise<T> {
  const maxAttempts = Math.max(1, policy.maxAttempts ?? 6);
  const base = policy.baseDelayMs ?? 200;
  const cap = policy.maxDelayMs ?? 10_000;
  let refreshed = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (refreshCredentials && !refreshed && isExpiredCredentials(e)) {
        refreshed = true;
        refreshCredentials();
        attempt--; // not the service's fault: this attempt does not count
        continue;
      }
      const throttled = isThrottling(e);
      if (!throttled && !isTransient(e)) throw e;
      if (attempt >= maxAttempts) {
        if (throttled) throw new AthenaThrottled(operation, errorName(e), attempt, (e as Error).message);
        throw e;
      }
      await sleep(Math.random() * Math.min(cap, base * 2 ** attempt));
    }
  }
}
