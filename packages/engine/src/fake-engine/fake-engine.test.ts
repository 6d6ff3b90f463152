import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlRejected } from '@access-monitor/sql';
import { EngineClosed, IdempotencyConflict, ResultNotReady } from '../errors';
import { FIXTURE_WINDOW } from '../query-engine.fixture';
import { FakeEngine } from './fake-engine';

describe('a third engine built from EngineCore and a fake driver', () => {
  let engine: FakeEngine;
  beforeAll(async () => {
    engine = await FakeEngine.create();
  });
  afterAll(async () => {
    await engine.close();
  });

  it('rejects statements it may not run before issuing an id', async () => {
    await expect(engine.start({ sql: 'DELETE FROM audit_events', window: FIXTURE_WINDOW, token: 'rejected' })).rejects.toBeInstanceOf(SqlRejected);
    await expect(engine.start({ sql: 'SELECT 1; SELECT 2', window: FIXTURE_WINDOW, token: 'rejected' })).rejects.toBeInstanceOf(SqlRejected);
  });

  it('hands its backend the statement rendered in its dialect, over its table', async () => {
    const { id } = await engine.start({ sql: 'SELECT count(*) FROM audit_events', window: FIXTURE_WINDOW, token: 'rendered' });
    expect(engine.rendered(id)).toContain('fake.audit_events');
  });

  it('starts one execution per idempotency token', async () => {
    const q = { sql: 'SELECT 1 AS one', window: FIXTURE_WINDOW, token: 'once' };
    const first = await engine.start(q);
    expect(await engine.start(q)).toEqual(first);
    await expect(engine.start({ ...q, sql: 'SELECT 2 AS two' })).rejects.toBeInstanceOf(IdempotencyConflict);
  });

  it('serves results only once the execution SUCCEEDED', async () => {
    const { id } = await engine.start({ sql: 'SELECT 1 AS one', window: FIXTURE_WINDOW, token: 'results' });
    await expect(engine.page(id, 0, 10)).rejects.toBeInstanceOf(ResultNotReady);
    engine.finish(id, [{ name: 'one', type: 'integer' }], [['1']]);
    expect(await engine.page(id, 0, 10)).toEqual({ rows: [['1']], totalRows: 1 });
  });

  it('refuses to start once closed', async () => {
    const closing = await FakeEngine.create();
    await closing.close();
    await expect(closing.start({ sql: 'SELECT 1', window: FIXTURE_WINDOW, token: 'closed' })).rejects.toBeInstanceOf(EngineClosed);
  });
});
