import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionStatus } from '@access-monitor/engine';
import { createFsObjectStore, type ObjectStore } from '@access-monitor/storage';
import { executionKeys } from '../store-layout';
import { createUserSlots } from './user-slots';

const LEASE_MS = 3 * 60_000;
/** An engine on another instance: every execution it is asked about is still running. */
const running = { status: (id: string) => Promise.resolve({ id, state: 'RUNNING' } as ExecutionStatus) };

describe("a user's running slots in the store", () => {
  let dir: string;
  let store: ObjectStore;
  let at: number;
  const now = () => new Date(at);
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'user-slots-'));
    store = createFsObjectStore(dir, { durable: false });
    at = Date.parse('2026-01-14T12:00:00Z');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("frees a crashed instance's slots once their lease has passed, and not before", async () => {
    const crashed = createUserSlots({ store, engine: running, now });
    for (const id of ['e1', 'e2']) await (await crashed.tryTake('alice', 2, LEASE_MS))!.hold(id);
    await crashed.close(); // the instance dies: nobody will write its slots free
    const survivor = createUserSlots({ store, engine: running, now });
    expect(await survivor.tryTake('alice', 2, LEASE_MS)).toBeUndefined();
    at += LEASE_MS - 1000;
    expect(await survivor.busy('alice', 2)).toBe(2);
    at += 2000;
    expect(await survivor.busy('alice', 2)).toBe(0);
    expect(await survivor.tryTake('alice', 2, LEASE_MS)).toBeDefined();
  });

  it('takes over a slot object that is not a lease instead of failing every start', async () => {
    await store.put(executionKeys.slot('alice', 0), 'not json');
    const slots = createUserSlots({ store, engine: running, now });
    expect(await slots.tryTake('alice', 1, LEASE_MS)).toBeDefined();
    expect(await slots.tryTake('alice', 1, LEASE_MS)).toBeUndefined();
  });
});
