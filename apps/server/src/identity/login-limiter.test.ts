import { describe, expect, it } from 'vitest';
import { TooManyLoginAttempts } from './identity-errors';
import { createLoginLimiter } from './login-limiter';

const LIMITS = { perUserAndIp: 5, perIp: 50, windowSeconds: 900, maxBackoffMs: 2000 };

describe('the login limiter', () => {
  it('limits a guessing address per username but only backs off, briefly, for the same username from another address', async () => {
    const limiter = createLoginLimiter(LIMITS);
    for (let i = 0; i < 5; i++) {
      const attempt = await limiter.attempt('alice', '203.0.113.7');
      expect(attempt.backoffMs).toBe(0);
      await attempt.finish(false);
    }
    await expect(limiter.attempt('alice', '203.0.113.7')).rejects.toBeInstanceOf(TooManyLoginAttempts);
    const other = await limiter.attempt('alice', '198.51.100.20');
    expect(other.backoffMs).toBeGreaterThan(0);
    expect(other.backoffMs).toBeLessThanOrEqual(2000);
  });

  it('doubles the backoff as a username keeps failing from many addresses, up to the cap', async () => {
    const limiter = createLoginLimiter(LIMITS);
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const attempt = await limiter.attempt('alice', `192.0.2.${i}`);
      waits.push(attempt.backoffMs);
      await attempt.finish(false);
    }
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(waits.slice(5, 9)).toEqual([250, 500, 1000, 2000]);
    expect(waits.at(-1)).toBe(2000);
  });

  it('holds parallel guesses beyond the budget until earlier ones fail, then refuses them', async () => {
    const limiter = createLoginLimiter(LIMITS);
    const first = await Promise.all(Array.from({ length: 5 }, () => limiter.attempt('alice', '203.0.113.7')));
    let sixthAdmitted = false;
    const sixth = limiter.attempt('alice', '203.0.113.7').then(
      () => (sixthAdmitted = true),
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(sixthAdmitted).toBe(false); // five guesses are being checked: the sixth waits for their outcome
    for (const attempt of first) await attempt.finish(false);
    expect(await sixth).toBeInstanceOf(TooManyLoginAttempts);
  });
});
