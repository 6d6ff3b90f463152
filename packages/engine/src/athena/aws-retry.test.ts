import { describe, expect, it } from 'vitest';
import { AthenaThrottled } from '../errors';
import { withRetries } from './aws-retry';

/** An error shaped like the SDK's service exceptions. */
function serviceError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });
}

/** A request that fails with the given errors in turn, then answers 'ok'. */
function failing(...errors: Error[]) {
  let calls = 0;
  const request = async (): Promise<string> => {
    const error = errors[calls++];
    if (error) throw error;
    return 'ok';
  };
  return { request, calls: () => calls };
}

const fast = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

describe('withRetries', () => {
  it('retries throttling and server faults, then returns the answer', async () => {
    const r = failing(serviceError('ThrottlingException', 400), serviceError('TooManyRequestsException', 400), serviceError('InternalServerException', 500));
    await expect(withRetries('GetQueryExecution', fast, r.request)).resolves.toBe('ok');
    expect(r.calls()).toBe(4);
  });

  it('gives up on throttling after the last attempt with AthenaThrottled naming the operation', async () => {
    const r = failing(...Array.from({ length: 10 }, () => serviceError('ThrottlingException', 400)));
    const result = withRetries('StartQueryExecution', fast, r.request);
    await expect(result).rejects.toThrow(AthenaThrottled);
    await expect(result).rejects.toThrow(/StartQueryExecution .*ThrottlingException.*after 4 attempts/);
    expect(r.calls()).toBe(4);
  });

  it('does not retry what a retry cannot fix', async () => {
    const r = failing(serviceError('InvalidRequestException', 400));
    await expect(withRetries('StartQueryExecution', fast, r.request)).rejects.toThrow('InvalidRequestException happened');
    expect(r.calls()).toBe(1);
  });

  it('refreshes expired credentials once and retries at once', async () => {
    let refreshed = 0;
    const r = failing(serviceError('ExpiredTokenException', 400));
    await expect(withRetries('GetQueryExecution', { ...fast, maxAttempts: 1 }, r.request, () => refreshed++)).resolves.toBe('ok');
    expect(refreshed).toBe(1);
    const again = failing(serviceError('ExpiredTokenException', 400), serviceError('ExpiredTokenException', 400));
    await expect(withRetries('GetQueryExecution', fast, again.request, () => refreshed++)).rejects.toThrow('ExpiredTokenException happened');
  });
});
