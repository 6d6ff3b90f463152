import { describe, expect, it } from 'vitest';
import { executionKeys, isTerminal, pollDelay, savedQueryKeys } from './api';

describe('pollDelay', () => {
  it('backs off from 250 ms to one poll a second', () => {
    expect([1, 2, 3, 4, 10].map(pollDelay)).toEqual([250, 500, 1000, 1000, 1000]);
  });
});

describe('isTerminal', () => {
  it('stops polling only once an execution succeeded, failed or was cancelled', () => {
    expect(['QUEUED', 'RUNNING'].map((s) => isTerminal(s as 'QUEUED'))).toEqual([false, false]);
    expect(['SUCCEEDED', 'FAILED', 'CANCELLED'].map((s) => isTerminal(s as 'FAILED'))).toEqual([true, true, true]);
  });
});

describe('executionKeys', () => {
  it('nests result pages under their execution, so invalidating one execution covers its pages', () => {
    const detail = executionKeys.detail('ex1');
    expect(executionKeys.results('ex1', 100, 100).slice(0, detail.length)).toEqual(detail);
  });
});

describe('savedQueryKeys', () => {
  it('nests the deleted list under the list, so refreshing the list after a save or delete refreshes it too', () => {
    const list = savedQueryKeys.list();
    expect(savedQueryKeys.deletedList().slice(0, list.length)).toEqual(list);
  });
});
