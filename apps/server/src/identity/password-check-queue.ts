import { LoginsBusy } from './identity-errors';

export interface PasswordCheckLimits {
  /** scrypt runs at once; each holds one of libuv's 4 threads, which file and crypto work of every request share. */
  maxConcurrent: number;
  /** Logins allowed to wait for a slot; beyond that they are refused at once with 429. */
  maxQueued: number;
}

export const DEFAULT_PASSWORD_CHECK_LIMITS: PasswordCheckLimits = { maxConcurrent: 2, maxQueued: 16 };

/**
 * Bounds the password checks in flight, so a flood of logins cannot take every thread of libuv's pool
 * and stall the signed-in users' requests (their session and file reads wait for the same threads).
 */
export function createPasswordCheckQueue(limits: PasswordCheckLimits = DEFAULT_PASSWORD_CHECK_LIMITS) {
  let running = 0;
  const waiting: Array<() => void> = [];

  async function run<T>(check: () => Promise<T>): Promise<T> {
    if (running >= limits.maxConcurrent) {
      if (waiting.length >= limits.maxQueued) throw new LoginsBusy(1);
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      running++;
    }
    try {
      return await check();
    } finally {
      // Hand the slot straight to the next waiter, so `running` never drops below what is really in flight.
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  }

  return { run };
}
