import { describe, expect, it } from 'vitest';
import { ProblemTypes } from '@access-monitor/contracts';
import { ApiError, ClientProblemTypes } from '../../api/client';
import { sessionGate } from './session-gate';

const unauthenticated = new ApiError({ type: ProblemTypes.unauthenticated, title: 'Authentication required', status: 401 });
const offline = new ApiError({ type: ClientProblemTypes.network, title: 'The server could not be reached', status: 0 });
const idle = { isPending: false, isFetching: false, error: null, data: undefined };
const pending = { ...idle, isPending: true, isFetching: true };
const signedIn = (authMode: 'local' | 'teleport') => ({ ...idle, data: { authMode } });

describe('sessionGate', () => {
  it('waits quietly while /me answers', () => {
    expect(sessionGate(pending, pending)).toEqual({ show: 'loading' });
  });

  it('shows the app to a signed-in user', () => {
    expect(sessionGate(signedIn('local'), pending)).toEqual({ show: 'app' });
  });

  it('sends a 401 in local mode to the login page', () => {
    expect(sessionGate({ ...idle, error: unauthenticated }, { ...idle, data: 'local' })).toEqual({ show: 'login' });
  });

  it('explains a 401 in Teleport mode instead of offering a login page that does not exist', () => {
    expect(sessionGate({ ...idle, error: unauthenticated }, { ...idle, data: 'teleport' })).toEqual({ show: 'teleport-only' });
  });

  it('waits for the probe before deciding where a 401 goes', () => {
    expect(sessionGate({ ...idle, error: unauthenticated }, pending)).toEqual({ show: 'loading' });
  });

  it('uses the mode a just-expired session reported, without probing', () => {
    const expired = { ...signedIn('teleport'), error: unauthenticated };
    expect(sessionGate(expired, idle)).toEqual({ show: 'teleport-only' });
  });

  it('never shows cached data once /me says the session ended', () => {
    expect(sessionGate({ ...signedIn('local'), error: unauthenticated }, idle)).toEqual({ show: 'login' });
  });

  it('shows the problem, with a retry, when /me or the probe fail for another reason', () => {
    expect(sessionGate({ ...idle, error: offline }, idle)).toEqual({ show: 'problem', error: offline, retry: 'me' });
    expect(sessionGate({ ...idle, error: unauthenticated }, { ...idle, error: offline })).toEqual({ show: 'problem', error: offline, retry: 'auth-mode' });
  });

  it('waits while a failed /me is asked again, rather than acting on the old answer', () => {
    expect(sessionGate({ ...idle, isFetching: true, error: unauthenticated }, idle)).toEqual({ show: 'loading' });
  });
});
