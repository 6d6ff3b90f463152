import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyLoginAttempts } from './identity-errors';

export interface LoginLimits {
  /** Failed attempts allowed per username and address within the window. */
  perUserAndIp: number;
  /** Failed attempts allowed per address, whatever the username, within the window. */
  perIp: number;
  windowSeconds: number;
  /** Longest delay before checking a password for a username that is failing from many addresses (default 2 s). */
  maxBackoffMs?: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perUserAndIp: 5, perIp: 50, windowSeconds: 15 * 60 };

const FIRST_BACKOFF_MS = 250;

/** One login being checked: report how it ended exactly once (`finish` again is a no-op). */
export interface LoginAttempt {
  /** Milliseconds to wait before checking the password. */
  backoffMs: number;
  /** true: signed in; false: wrong name or password (a failure counts); undefined: not checked (busy, error). */
  finish(outcome: boolean | undefined): Promise<void>;
}

/**
 * Failures per key within a window. An attempt is admitted while recorded failures plus attempts still
 * being checked stay under the budget; past it, an attempt waits for one in flight to end rather than
 * being refused, so parallel guesses cannot slip past a check-then-count, yet a burst of correct sign-ins
 * is never taken for guessing. Only once the failures alone spend the budget is an attempt refused.
 */
function createFailureBudget(keyPrefix: string, points: number, windowSeconds: number) {
  const failures = new RateLimiterMemory({ keyPrefix, points: Number.MAX_SAFE_INTEGER, duration: windowSeconds });
  const inFlight = new Map<string, number>();
  const waiting = new Map<string, Array<() => void>>();

  return {
    /** Resolves once the key may try; throws TooManyLoginAttempts when its failures spent the budget. */
    async enter(key: string): Promise<void> {
      for (;;) {
        const recorded = await failures.get(key);
        const failed = recorded?.consumedPoints ?? 0;
        if (failed >= points) throw new TooManyLoginAttempts(Math.max(1, Math.ceil((recorded?.msBeforeNext ?? 1000) / 1000)));
        // No await from the read to the count: concurrent attempts see each other.
        const n = inFlight.get(key) ?? 0;
        if (failed + n < points) {
          inFlight.set(key, n + 1);
          return;
        }
        await new Promise<void>((resolve) => waiting.set(key, [...(waiting.get(key) ?? []), resolve]));
      }
    },
    async leave(key: string, outcome: 'failed' | 'succeeded' | 'unchecked', forgetOnSuccess: boolean): Promise<void> {
      try {
        if (outcome === 'failed') await failures.penalty(key, 1);
        else if (outcome === 'succeeded' && forgetOnSuccess) await failures.delete(key);
      } finally {
        const n = (inFlight.get(key) ?? 1) - 1;
        if (n > 0) inFlight.set(key, n);
        else inFlight.delete(key);
        const woken = waiting.get(key) ?? [];
        waiting.delete(key);
        for (const wake of woken) wake();
      }
    },
  };
}

/**
 * Counts failed logins per username+address and per address; a successful login forgets the pair's failures.
 * A username guessed at from anywhere is never locked (that would lock its owner out too): once its attempts pass
 * the per-pair budget, each attempt only waits a short, doubling backoff, capped at `maxBackoffMs`.
 */
export function createLoginLimiter(limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
  const byUserAndIp = createFailureBudget('login-user-ip', limits.perUserAndIp, limits.windowSeconds);
  const byIp = createFailureBudget('login-ip', limits.perIp, limits.windowSeconds);
  const byUser = new RateLimiterMemory({ keyPrefix: 'login-user', points: Number.MAX_SAFE_INTEGER, duration: limits.windowSeconds });
  const maxBackoffMs = limits.maxBackoffMs ?? 2000;
  const userKey = (username: string, ip: string) => `${username.toLowerCase()}\n${ip}`;

  return {
    /** Throws TooManyLoginAttempts when the failures of the pair or of the address spent their budget. */
    async attempt(username: string, ip: string): Promise<LoginAttempt> {
      const pair = userKey(username, ip);
      await byUserAndIp.enter(pair);
      try {
        await byIp.enter(ip);
      } catch (e) {
        await byUserAndIp.leave(pair, 'unchecked', false);
        throw e;
      }
      let attempts: number;
      try {
        attempts = (await byUser.consume(username.toLowerCase())).consumedPoints;
      } catch (e) {
        await Promise.all([byUserAndIp.leave(pair, 'unchecked', false), byIp.leave(ip, 'unchecked', false)]);
        throw e instanceof RateLimiterRes ? new TooManyLoginAttempts(1) : e;
      }
      const over = attempts - limits.perUserAndIp;
      let finished = false;
      return {
        backoffMs: over <= 0 ? 0 : Math.min(maxBackoffMs, FIRST_BACKOFF_MS * 2 ** Math.min(over - 1, 20)),
        async finish(outcome) {
          if (finished) return;
          finished = true;
          const ended = outcome === true ? 'succeeded' : outcome === false ? 'failed' : 'unchecked';
          await Promise.all([
            byUserAndIp.leave(pair, ended, true),
            byIp.leave(ip, ended, false),
            // Only failures from anywhere slow a username down.
            outcome === false ? Promise.resolve() : byUser.reward(username.toLowerCase(), 1),
          ]);
        },
      };
    },
  };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
