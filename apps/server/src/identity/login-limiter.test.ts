import { describe, expect, it } from 'vitest';
import { TooManyLoginAttempts } from './identity-errors';
import { createLoginLimiter } from './login-limiter';

describe('the login limiter', () => {
  it('limits a guessing address per username but only backs off, briefly, for the same username from another address', async () => {
    const limiter = createLoginLimiter({ perUserAndIp: 5, perIp: 50, windowSeconds: 900, maxBackoffMs: 2000 });
    for (let i = 0; i < 5; i++) expect(await limiter.attempt('alice', '203.0.113.7')).toBe(0);
    await expect(limiter.attempt('alice', '203.0.113.7')).rejects.toBeInstanceOf(TooManyLoginAttempts);
    const backoff = await limiter.attempt('alice', '198.51.100.20');
    expect(backoff).toBeGreaterThan(0);
    expect(backoff).toBeLessThanOrEqual(2000);
  });

  it('doubles the backoff as a username keeps failing from many addresses, up to the cap', async () => {
    const limiter = createLoginLimiter({ perUserAndIp: 5, perIp: 50, windowSeconds: 900, maxBackoffMs: 2000 });
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) waits.push(await limiter.attempt('alice', `192.0.2.${i}`));
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(waits.slice(5, 9)).toEqual([250, 500, 1000, 2000]);
    expect(waits.at(-1)).toBe(2000);
  });
});
