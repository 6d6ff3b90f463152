import { expect } from 'vitest';
import type { Problem } from '@access-monitor/contracts';

/** Asserts an answer is problem+json with this status and type, and returns the problem. */
export async function expectProblem(res: Response, status: number, type: string): Promise<Problem> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = (await res.json()) as Problem;
  expect(problem.type).toBe(type);
  return problem;
}
