import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyLoginAttempts } from './identity-errors';

export interface LoginLimits {
  /** Failed attempts allowed per username and address within the window. */
  perUserAndIp: number;
  /** Failed attempts allowed per address, whatever the username, within the window. */
  perIp: number;
  windowSeconds: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perUserAndIp: 5, perIp: 50, windowSeconds: 15 * 60 };

/**
 * Counts login attempts per username+address and per address. Every attempt takes a point before the password
 * is checked (so parallel guesses cannot all slip past a check-then-count), and a success gives its points back.
 */
export function createLoginLimiter(limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
  const byUserAndIp = new RateLimiterMemory({ keyPrefix: 'login-user-ip', points: limits.perUserAndIp, duration: limits.windowSeconds });
  const byIp = new RateLimiterMemory({ keyPrefix: 'login-ip', points: limits.perIp, duration: limits.windowSeconds });
  const userKey = (username: string, ip: string) => `${username.toLowerCase()}\n${ip}`;

  return {
    /** Throws TooManyLoginAttempts when either budget is spent. */
    async attempt(username: string, ip: string): Promise<void> {
      const results = await Promise.allSettled([byUserAndIp.consume(userKey(username, ip)), byIp.consume(ip)]);
      const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      if (refused.length === 0) return;
      const other = refused.find((r) => !(r instanceof RateLimiterRes));
      if (other) throw other;
      const waitMs = Math.max(...refused.map((r) => (r as RateLimiterRes).msBeforeNext));
      throw new TooManyLoginAttempts(Math.max(1, Math.ceil(waitMs / 1000)));
    },
    async succeeded(username: string, ip: string): Promise<void> {
      await Promise.all([byUserAndIp.delete(userKey(username, ip)), byIp.reward(ip, 1)]);
    },
  };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
