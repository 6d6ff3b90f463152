import { describe, expect, it, vi } from 'vitest';
import type { ExecutionState } from '@access-monitor/contracts';
import type { ExecutionStatus } from '@access-monitor/engine';
import { createAdmission } from './admission';

/** An engine whose executions run until the test ends them. */
function fakeEngine() {
  const states = new Map<string, ExecutionState>();
  return {
    states,
    status: (id: string): Promise<ExecutionStatus> => Promise.resolve({ id, state: states.get(id) ?? 'RUNNING' } as ExecutionStatus),
  };
}

describe('queued server work', () => {
  it("is served round-robin by the person it runs for: one person's queue never starves another's", async () => {
    const engine = fakeEngine();
    const admission = createAdmission({ engine, total: 32 });
    const served: string[] = [];
    let n = 0;
    const queue = (owner: string) =>
      admission.acquire('service:report-run', 1, { owner }).then((release) => {
        served.push(owner);
        admission.hold(release, `e${n++}`);
      });

    const waits = [queue('alice')];
    await vi.waitFor(() => expect(served).toEqual(['alice']));
    // Alice asks for six more (a report run is a dozen queries) before Bob asks for three.
    for (let i = 0; i < 6; i++) waits.push(queue('alice'));
    await new Promise((r) => setTimeout(r, 30));
    for (let i = 0; i < 3; i++) waits.push(queue('bob'));
    for (let done = 0; done < 9; done++) {
      engine.states.set(`e${done}`, 'SUCCEEDED');
      await vi.waitFor(() => expect(served).toHaveLength(done + 2), { timeout: 5000 });
    }
    await Promise.all(waits);
    expect(served).toEqual(['alice', 'alice', 'bob', 'alice', 'bob', 'alice', 'bob', 'alice', 'alice', 'alice']);
  });

  it('stops waiting when its signal aborts, and the slot goes to the next waiter', async () => {
    const engine = fakeEngine();
    const admission = createAdmission({ engine, total: 32 });
    admission.hold(await admission.acquire('service:actions', 1), 'running');
    const controller = new AbortController();
    const abandoned = admission.acquire('service:actions', 1, { owner: 'alice', signal: controller.signal });
    const next = admission.acquire('service:actions', 1, { owner: 'bob' });
    controller.abort(new Error('client went away'));
    await expect(abandoned).rejects.toThrow('client went away');
    engine.states.set('running', 'SUCCEEDED');
    expect(typeof (await next)).toBe('function');
  });
});
