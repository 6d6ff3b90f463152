import { describe, expect, it } from 'vitest';
import { ProblemTypes } from '@access-monitor/contracts';
import { ApiError, ClientProblemTypes } from '../../api/client';
import { authModeFromProbe, isForbidden, isUnauthenticated } from './session-problems';

const apiError = (status: number, type: string = 'about:blank') => new ApiError({ type, title: `HTTP ${status}`, status });

describe('isUnauthenticated / isForbidden', () => {
  it('tells a missing session (401) from roles that do not allow it (403)', () => {
    expect(isUnauthenticated(apiError(401, ProblemTypes.unauthenticated))).toBe(true);
    expect(isForbidden(apiError(401, ProblemTypes.unauthenticated))).toBe(false);
    expect(isForbidden(apiError(403, ProblemTypes.forbidden))).toBe(true);
    expect(isUnauthenticated(apiError(403, ProblemTypes.forbidden))).toBe(false);
  });

  it('ignores errors that are not API answers', () => {
    expect(isUnauthenticated(new Error('401'))).toBe(false);
    expect(isForbidden(null)).toBe(false);
  });
});

describe('authModeFromProbe', () => {
  it('reads a missing login route as Teleport mode', () => {
    expect(authModeFromProbe(apiError(404, ProblemTypes.notFound))).toBe('teleport');
  });

  it('reads any refusal from an existing login route as local mode', () => {
    expect(authModeFromProbe(apiError(400, ProblemTypes.invalidRequest))).toBe('local');
    expect(authModeFromProbe(apiError(401, ProblemTypes.unauthenticated))).toBe('local');
    expect(authModeFromProbe(apiError(429, ProblemTypes.tooManyRequests))).toBe('local');
    expect(authModeFromProbe(undefined)).toBe('local');
  });

  it('does not guess when the server could not be reached', () => {
    const offline = apiError(0, ClientProblemTypes.network);
    expect(() => authModeFromProbe(offline)).toThrow(offline);
    expect(() => authModeFromProbe(apiError(502))).toThrow();
  });
});
