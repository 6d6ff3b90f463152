import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { createFsObjectStore, type ObjectStore } from '@access-monitor/storage';
import { NotFound } from '../domain-errors';
import { RevisionConflict } from '../revisions/revision-errors';
import { triageKeys } from '../store-layout';
import { createTriage, entityKeyOf } from './triage-store';

const REPORT = 'privilege_access_report';
const SSH = 'ssh_sessions_with_weak_security'; // entity: user
const DB = 'database_sessions_with_weak_security'; // entity: user, db_service

let dir: string;
let store: ObjectStore;
let today: string;
const clock = () => new Date(`${today}T15:30:00Z`);
const triage = () => createTriage(store, clock, { maxAcceptedRiskDays: 90 });

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-triage-'));
  store = createFsObjectStore(dir);
  today = '2026-01-14';
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The field a 400 names, from the ZodError the problem handler turns into `errors[].path`. */
async function refusedField(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ZodError);
  return (e as ZodError).issues.map((i) => i.path.join('.')).join(',');
}

describe('entityKeyOf', () => {
  it('encodes the entity columns in column order, numbers as text and missing values as null', () => {
    expect(entityKeyOf(['user', 'db_service'], { db_service: 'pg', user: 'alice', event_time: 'x' })).toBe('["alice","pg"]');
    expect(entityKeyOf(['user', 'port'], { user: 'bob', port: 5432 })).toBe('["bob","5432"]');
    expect(entityKeyOf(['user', 'db_service'], { user: 'carol' })).toBe('["carol",null]');
  });
});

describe('triage revisions', () => {
  it('keeps every change as an immutable revision of the entity, under the hash of its key', async () => {
    const t = triage();
    const first = await t.set(REPORT, SSH, { entity: { user: 'alice' }, status: 'false_positive', reason: 'break-glass test account' }, 'eve');
    today = '2026-01-15';
    const second = await t.set(REPORT, SSH, { entity: { user: 'alice' }, status: 'open', reason: 'account is used for real work now' }, 'frank');
    expect(first).toMatchObject({ report: REPORT, finding: SSH, entity: { user: 'alice' }, entityKey: '["alice"]', revision: 1, savedBy: 'eve', savedAt: '2026-01-14T15:30:00.000Z' });
    expect(second).toMatchObject({ revision: 2, status: 'open', savedBy: 'frank' });
    expect(await store.head(triageKeys.revision(REPORT, SSH, '["alice"]', 1))).not.toBeNull();
    expect(triageKeys.revision(REPORT, SSH, '["alice"]', 2)).toMatch(new RegExp(`^triage/${REPORT}/${SSH}/[0-9a-f]{64}/rev-00000002\\.json$`));
    expect((await triage().log(REPORT)).map((r) => [r.revision, r.status, r.reason])).toEqual([
      [2, 'open', 'account is used for real work now'],
      [1, 'false_positive', 'break-glass test account'],
    ]);
  });

  it('stores the entity in column order whatever order the body gave', async () => {
    const record = await triage().set(REPORT, DB, { entity: { db_service: 'pg-prod', user: 'bob' }, status: 'false_positive', reason: 'read replica' }, 'eve');
    expect(record.entityKey).toBe('["bob","pg-prod"]');
    expect(Object.keys(record.entity)).toEqual(['user', 'db_service']);
  });

  it('answers a conflict when another writer took the revision in between', async () => {
    await triage().set(REPORT, SSH, { entity: { user: 'alice' }, status: 'false_positive', reason: 'first' }, 'eve');
    // A view of the store that has not seen that revision yet, as a second instance racing for it would.
    const stale: ObjectStore = {
      put: (key, body, opts) => store.put(key, body, opts),
      putStream: (key, body, opts) => store.putStream(key, body, opts),
      get: (key) => store.get(key),
      getText: (key) => store.getText(key),
      getJson: <T>(key: string) => store.getJson<T>(key),
      head: (key) => store.head(key),
      read: (key, range) => store.read(key, range),
      list: (prefix, opts) => (prefix.includes(SSH) ? (async function* () {})() : store.list(prefix, opts)),
    };
    const racer = createTriage(stale, clock, { maxAcceptedRiskDays: 90 });
    await expect(racer.set(REPORT, SSH, { entity: { user: 'alice' }, status: 'open', reason: 'second' }, 'frank')).rejects.toBeInstanceOf(RevisionConflict);
  });
});

describe('exceptions in force', () => {
  it('holds an accepted risk through its expiry day and returns the entity the day after, with nothing written', async () => {
    await triage().set(REPORT, SSH, { entity: { user: 'alice' }, status: 'accepted_risk', reason: 'vendor migration', expires: '2026-01-20' }, 'eve');
    today = '2026-01-20';
    expect([...(await triage().inForce(REPORT, SSH)).keys()]).toEqual(['["alice"]']);
    today = '2026-01-21';
    expect((await triage().inForce(REPORT, SSH)).size).toBe(0);
    expect(await triage().inForceOfReport(REPORT)).toEqual([]);
    expect(await triage().log(REPORT)).toHaveLength(1);
  });

  it('keeps a false positive until it is reopened, and only the latest revision counts', async () => {
    const t = triage();
    await t.set(REPORT, SSH, { entity: { user: 'alice' }, status: 'false_positive', reason: 'test account' }, 'eve');
    await t.set(REPORT, SSH, { entity: { user: 'bob' }, status: 'accepted_risk', reason: 'on call', expires: '2026-02-01' }, 'eve');
    today = '2027-06-01';
    expect([...(await t.inForce(REPORT, SSH)).values()].map((r) => r.entity.user)).toEqual(['alice']);
    await t.set(REPORT, SSH, { entity: { user: 'alice' }, status: 'open', reason: 'no longer a test account' }, 'frank');
    expect((await t.inForce(REPORT, SSH)).size).toBe(0);
    expect((await t.inForce(REPORT, DB)).size).toBe(0);
  });

  it('lists the exceptions of every finding of the report', async () => {
    const t = triage();
    await t.set(REPORT, SSH, { entity: { user: 'alice' }, status: 'false_positive', reason: 'a' }, 'eve');
    await t.set(REPORT, DB, { entity: { user: 'bob', db_service: 'pg' }, status: 'false_positive', reason: 'b' }, 'eve');
    expect((await t.inForceOfReport(REPORT)).map((r) => r.finding).sort()).toEqual([DB, SSH]);
  });
});

describe('validation', () => {
  const accept = (expires?: string) => ({ entity: { user: 'alice' }, status: 'accepted_risk' as const, reason: 'r', ...(expires ? { expires } : {}) });

  it('accepts a risk until today + the configured maximum, and no later', async () => {
    expect((await triage().set(REPORT, SSH, accept('2026-04-14'), 'eve')).expires).toBe('2026-04-14');
    expect(await refusedField(triage().set(REPORT, SSH, accept('2026-04-15'), 'eve'))).toBe('expires');
    expect(await refusedField(createTriage(store, clock, { maxAcceptedRiskDays: 30 }).set(REPORT, SSH, accept('2026-02-14'), 'eve'))).toBe('expires');
  });

  it('needs an expiry for an accepted risk, refuses one in the past or not a real day, and refuses one on other statuses', async () => {
    expect(await refusedField(triage().set(REPORT, SSH, accept(), 'eve'))).toBe('expires');
    expect(await refusedField(triage().set(REPORT, SSH, accept('2026-01-13'), 'eve'))).toBe('expires');
    expect(await refusedField(triage().set(REPORT, SSH, accept('2026-02-30'), 'eve'))).toBe('expires');
    expect(await refusedField(triage().set(REPORT, SSH, { entity: { user: 'a' }, status: 'false_positive', reason: 'r', expires: '2026-02-01' }, 'eve'))).toBe('expires');
    expect(await refusedField(triage().set(REPORT, SSH, { entity: { user: 'a' }, status: 'open', reason: 'r', expires: '2026-02-01' }, 'eve'))).toBe('expires');
  });

  it("needs exactly the finding's entity columns", async () => {
    const fp = (entity: Record<string, string | null>) => ({ entity, status: 'false_positive' as const, reason: 'r' });
    await expect(triage().set(REPORT, DB, fp({ user: 'bob' }), 'eve')).rejects.toThrow(/user, db_service/);
    expect(await refusedField(triage().set(REPORT, DB, fp({ user: 'bob', db_service: 'pg', login: 'root' }), 'eve'))).toBe('entity');
    expect(await refusedField(triage().set(REPORT, SSH, fp({ login: 'root' }), 'eve'))).toBe('entity');
    expect((await triage().set(REPORT, DB, fp({ user: 'bob', db_service: null }), 'eve')).entityKey).toBe('["bob",null]');
  });

  it('does not know a report or finding that does not exist', async () => {
    await expect(triage().set('no_such_report', SSH, accept('2026-02-01'), 'eve')).rejects.toBeInstanceOf(NotFound);
    await expect(triage().set(REPORT, 'no_such_finding', accept('2026-02-01'), 'eve')).rejects.toBeInstanceOf(NotFound);
    await expect(triage().log('no_such_report')).rejects.toBeInstanceOf(NotFound);
  });
});
