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

/**
 * Counts login attempts per username+address and per address. Every attempt takes a point before the password
 * is checked (so parallel guesses cannot all slip past a check-then-count), and a success gives its points back.
 * A username guessed at from anywhere is never locked (that would lock its owner out too): once its attempts pass
 * the per-pair budget, each attempt only waits a short, doubling backoff, capped at `maxBackoffMs`.
 */
export function createLoginLimiter(limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
  const byUserAndIp = new RateLimiterMemory({ keyPrefix: 'login-user-ip', points: limits.perUserAndIp, duration: limits.windowSeconds });
  const byIp = new RateLimiterMemory({ keyPrefix: 'login-ip', points: limits.perIp, duration: limits.windowSeconds });
  const byUser = new RateLimiterMemory({ keyPrefix: 'login-user', points: Number.MAX_SAFE_INTEGER, duration: limits.windowSeconds });
  const maxBackoffMs = limits.maxBackoffMs ?? 2000;
  const userKey = (username: string, ip: string) => `${username.toLowerCase()}\n${ip}`;

  return {
    /** Throws TooManyLoginAttempts when either budget is spent; otherwise the milliseconds to wait before checking the password. */
    async attempt(username: string, ip: string): Promise<number> {
      const results = await Promise.allSettled([byUserAndIp.consume(userKey(username, ip)), byIp.consume(ip), byUser.consume(username.toLowerCase())]);
      const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      if (refused.length === 0) {
        const attempts = (results[2] as PromiseFulfilledResult<RateLimiterRes>).value.consumedPoints;
        const over = attempts - limits.perUserAndIp;
        return over <= 0 ? 0 : Math.min(maxBackoffMs, FIRST_BACKOFF_MS * 2 ** Math.min(over - 1, 20));
      }
      const other = refused.find((r) => !(r instanceof RateLimiterRes));
      if (other) throw other;
      const waitMs = Math.max(...refused.map((r) => (r as RateLimiterRes).msBeforeNext));
      throw new TooManyLoginAttempts(Math.max(1, Math.ceil(waitMs / 1000)));
    },
    async succeeded(username: string, ip: string): Promise<void> {
      await Promise.all([byUserAndIp.delete(userKey(username, ip)), byIp.reward(ip, 1), byUser.reward(username.toLowerCase(), 1)]);
    },
  };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
