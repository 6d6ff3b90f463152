import { describe, expect, it } from 'vitest';
import { ProblemTypes } from '@access-monitor/contracts';
import { ApiError, ClientProblemTypes } from '../../api/client';
import { loginFailure } from './login-error';

describe('loginFailure', () => {
  it('says the credentials were wrong without saying which one', () => {
    const error = new ApiError({ type: ProblemTypes.unauthenticated, title: 'Authentication required', status: 401, detail: 'invalid username or password' });
    expect(loginFailure(error)).toEqual({ kind: 'message', text: 'Invalid username or password' });
  });

  it('says how long to wait from Retry-After when throttled', () => {
    const problem = { type: ProblemTypes.tooManyRequests, title: 'Too many requests', status: 429 };
    expect(loginFailure(new ApiError(problem, { retryAfterSeconds: 37 }))).toEqual({ kind: 'message', text: 'Too many attempts, try again in 37 s' });
    expect(loginFailure(new ApiError(problem))).toEqual({ kind: 'message', text: 'Too many attempts, try again later' });
  });

  it('recognises a server without a login route as signing in through Teleport', () => {
    expect(loginFailure(new ApiError({ type: ProblemTypes.notFound, title: 'Not found', status: 404 }))).toEqual({ kind: 'teleport' });
  });

  it('passes any other problem on as the server or client described it', () => {
    const offline = new ApiError({ type: ClientProblemTypes.network, title: 'The server could not be reached', status: 0, detail: 'Failed to fetch' });
    expect(loginFailure(offline)).toEqual({ kind: 'message', text: 'The server could not be reached: Failed to fetch' });
  });
});
