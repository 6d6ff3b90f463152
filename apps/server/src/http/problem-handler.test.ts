import { describe, expect, it } from 'vitest';
import { ProblemTypes } from '@access-monitor/contracts';
import { AthenaThrottled, ExecutionNotFound, ResultNotReady, ScanLimitExceeded } from '@access-monitor/engine';
import { problemFor } from './problem-handler';

describe('problemFor', () => {
  it('answers an engine error with the problem type, status and title it declares, its message as detail', () => {
    const notReady = new ResultNotReady('e-1', 'RUNNING');
    expect(problemFor(notReady)).toEqual({ type: ProblemTypes.resultNotReady, title: 'Result not ready', status: 409, detail: notReady.message });
    expect(problemFor(new ExecutionNotFound('e-2'))).toMatchObject({ type: ProblemTypes.notFound, status: 404, title: 'Execution not found' });
    expect(problemFor(new ScanLimitExceeded(10, 20))).toMatchObject({ type: ProblemTypes.scanLimit, status: 422 });
    expect(problemFor(new AthenaThrottled('StartQueryExecution', 'ThrottlingException', 3, 'slow down'))).toMatchObject({ type: ProblemTypes.engineThrottled, status: 503 });
  });
});
