import { ApiError } from '../../api/client';
import { toProblem } from '../../components/problem-panel';

export type LoginFailure = { kind: 'teleport' } | { kind: 'message'; text: string };

/** What the login form says when `POST /login` fails; 404 means this server signs in through Teleport instead. */
export function loginFailure(error: unknown): LoginFailure {
  if (error instanceof ApiError) {
    switch (error.status) {
      case 401:
        return { kind: 'message', text: 'Invalid username or password' };
      case 404:
        return { kind: 'teleport' };
      case 429:
        return {
          kind: 'message',
          text: error.retryAfterSeconds === undefined ? 'Too many attempts, try again later' : `Too many attempts, try again in ${error.retryAfterSeconds} s`,
        };
    }
  }
  const problem = toProblem(error);
  return { kind: 'message', text: problem.detail ? `${problem.title}: ${problem.detail}` : problem.title };
}
