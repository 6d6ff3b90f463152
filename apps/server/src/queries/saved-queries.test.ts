import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemTypes, SavedQuery, SavedQueryList } from '@access-monitor/contracts';
import { startTestServer, type TestServer } from '../testing/test-server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ days: 3, events: 300 });
});
afterAll(async () => {
  await t?.close();
});

const body = (sql: string) => JSON.stringify({ title: 'Weak SSH', description: 'SSH sessions without MFA', sql, days: 30 });
const put = (name: string, headers: Record<string, string>, sql = 'SELECT count(*) FROM session_start WHERE with_mfa IS NULL') =>
  t.fetchAs('editor', `/api/v1/queries/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: body(sql) });

describe('saved audit queries', () => {
  it('creates with If-None-Match: *, answers the revision as ETag, and refuses a second create', async () => {
    const created = await put('weak-ssh', { 'if-none-match': '*' });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"weak-ssh.r1"');
    const q = SavedQuery.parse(await created.json());
    expect(q).toMatchObject({ name: 'weak-ssh', revision: 1, savedBy: 'editor', days: 30, deleted: false });
    const again = await put('weak-ssh', { 'if-none-match': '*' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { type: string }).type).toBe(ProblemTypes.conflict);
  });

  it('updates only from the current revision and shows the one someone else saved in between', async () => {
    await put('edited-twice', { 'if-none-match': '*' });
    const first = await put('edited-twice', { 'if-match': '"edited-twice.r1"' }, 'SELECT 1');
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"edited-twice.r2"');
    const stale = await put('edited-twice', { 'if-match': '"edited-twice.r1"' }, 'SELECT 2');
    expect(stale.status).toBe(409);
    const problem = (await stale.json()) as { currentRevision: number; currentEtag: string; current: { sql: string } };
    expect(problem).toMatchObject({ currentRevision: 2, currentEtag: '"edited-twice.r2"', current: { sql: 'SELECT 1' } });
    const current = SavedQuery.parse(await (await t.fetchAs('auditor', '/api/v1/queries/edited-twice')).json());
    expect(current.sql).toBe('SELECT 1');
  });

  it('requires a precondition on every save and validates the name', async () => {
    const none = await put('no-precondition', {});
    expect(none.status).toBe(428);
    expect(((await none.json()) as { type: string }).type).toBe(ProblemTypes.preconditionRequired);
    const bad = await put('Bad Name!', { 'if-none-match': '*' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/a-z, 0-9, - and _/);
  });

  it('keeps exactly one revision per accepted save when 20 clients save at once', async () => {
    await put('contended', { 'if-none-match': '*' });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => put('contended', { 'if-match': '"contended.r1"' }, `SELECT ${i}`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const revisions = ((await (await t.fetchAs('auditor', '/api/v1/queries/contended/revisions')).json()) as { revisions: SavedQuery[] }).revisions;
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    const winner = results.find((r) => r.status === 200)!;
    expect(revisions[1]!.sql).toBe(SavedQuery.parse(await winner.json()).sql);
  });

  it('deletes with a tombstone revision that can be re-created, losing no history', async () => {
    await put('short-lived', { 'if-none-match': '*' });
    const del = await t.fetchAs('editor', '/api/v1/queries/short-lived', { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await t.fetchAs('auditor', '/api/v1/queries/short-lived')).status).toBe(404);
    const list = (await (await t.fetchAs('auditor', '/api/v1/queries')).json()) as { queries: SavedQuery[] };
    expect(list.queries.map((q) => q.name)).not.toContain('short-lived');
    const revived = await put('short-lived', { 'if-none-match': '*' });
    expect(revived.status).toBe(201);
    expect(revived.headers.get('etag')).toBe('"short-lived.r3"');
    const revisions = ((await (await t.fetchAs('auditor', '/api/v1/queries/short-lived/revisions')).json()) as { revisions: SavedQuery[] }).revisions;
    expect(revisions.map((r) => r.deleted)).toEqual([false, true, false]);
  });
});

describe('restoring a deleted audit query', () => {
  const restore = (name: string, revision: number, ifMatch: string | undefined, who: 'editor' | 'auditor' | 'runner' = 'editor') =>
    t.fetchAs(who, `/api/v1/queries/${name}/restore`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(ifMatch ? { 'if-match': ifMatch } : {}) },
      body: JSON.stringify({ revision }),
    });
  const deleted = async () => SavedQueryList.parse(await (await t.fetchAs('auditor', '/api/v1/queries?deleted=true')).json()).queries;
  const revisionsOf = async (name: string) => ((await (await t.fetchAs('auditor', `/api/v1/queries/${name}/revisions`)).json()) as { revisions: SavedQuery[] }).revisions;

  it('lists a deleted query by its tombstone, shows its history, and restores the old SQL as revision n+2', async () => {
    await put('undo-me', { 'if-none-match': '*' }, 'SELECT 1 AS first');
    await put('undo-me', { 'if-match': '"undo-me.r1"' }, 'SELECT 2 AS second');
    expect((await t.fetchAs('editor', '/api/v1/queries/undo-me', { method: 'DELETE', headers: { 'if-match': '"undo-me.r2"' } })).status).toBe(204);

    const tombstone = (await deleted()).find((q) => q.name === 'undo-me');
    expect(tombstone).toMatchObject({ revision: 3, deleted: true, savedBy: 'editor', sql: 'SELECT 2 AS second' });
    expect((await deleted()).every((q) => q.deleted)).toBe(true);
    expect(SavedQueryList.parse(await (await t.fetchAs('auditor', '/api/v1/queries')).json()).queries.map((q) => q.name)).not.toContain('undo-me');
    expect((await revisionsOf('undo-me')).map((r) => [r.revision, r.deleted])).toEqual([[1, false], [2, false], [3, true]]);

    const restored = await restore('undo-me', 2, '"undo-me.r3"');
    expect(restored.status).toBe(201);
    expect(restored.headers.get('etag')).toBe('"undo-me.r4"');
    expect(SavedQuery.parse(await restored.json())).toMatchObject({ revision: 4, sql: 'SELECT 2 AS second', deleted: false, savedBy: 'editor' });
    const current = await t.fetchAs('auditor', '/api/v1/queries/undo-me');
    expect(current.status).toBe(200);
    expect(SavedQuery.parse(await current.json()).sql).toBe('SELECT 2 AS second');
    expect((await deleted()).map((q) => q.name)).not.toContain('undo-me');
    // Every revision is still there, unchanged.
    expect((await revisionsOf('undo-me')).map((r) => [r.revision, r.sql, r.deleted])).toEqual([
      [1, 'SELECT 1 AS first', false],
      [2, 'SELECT 2 AS second', false],
      [3, 'SELECT 2 AS second', true],
      [4, 'SELECT 2 AS second', false],
    ]);
  });

  it('restores any earlier revision, not only the last one', async () => {
    await put('undo-older', { 'if-none-match': '*' }, 'SELECT 1 AS first');
    await put('undo-older', { 'if-match': '"undo-older.r1"' }, 'SELECT 2 AS second');
    await t.fetchAs('editor', '/api/v1/queries/undo-older', { method: 'DELETE' });
    const restored = await restore('undo-older', 1, '"undo-older.r3"');
    expect(restored.status).toBe(201);
    expect(SavedQuery.parse(await restored.json())).toMatchObject({ revision: 4, sql: 'SELECT 1 AS first' });
  });

  it('refuses an auditor, who may list deleted queries but not create one', async () => {
    await put('auditor-cannot-undo', { 'if-none-match': '*' });
    await t.fetchAs('editor', '/api/v1/queries/auditor-cannot-undo', { method: 'DELETE' });
    expect((await deleted()).map((q) => q.name)).toContain('auditor-cannot-undo');
    const refused = await restore('auditor-cannot-undo', 1, '"auditor-cannot-undo.r2"', 'auditor');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { type: string }).type).toBe(ProblemTypes.forbidden);
    expect((await t.fetchAs('auditor', '/api/v1/queries/auditor-cannot-undo')).status).toBe(404);
    expect((await revisionsOf('auditor-cannot-undo')).map((r) => r.revision)).toEqual([1, 2]);
  });

  it('answers 409 with the current revision when the query changed since the tombstone the caller saw', async () => {
    await put('undo-race', { 'if-none-match': '*' }, 'SELECT 1 AS mine');
    await t.fetchAs('editor', '/api/v1/queries/undo-race', { method: 'DELETE' });
    // Someone else re-creates the name in between.
    await put('undo-race', { 'if-none-match': '*' }, 'SELECT 3 AS theirs');
    const stale = await restore('undo-race', 1, '"undo-race.r2"');
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toMatch(/problem\+json/);
    const problem = (await stale.json()) as { type: string; currentRevision: number; currentEtag: string; current: { sql: string } };
    expect(problem).toMatchObject({ type: ProblemTypes.conflict, currentRevision: 3, currentEtag: '"undo-race.r3"', current: { sql: 'SELECT 3 AS theirs' } });
    // With the current ETag it is still refused: the query is live, there is nothing to undelete.
    expect((await restore('undo-race', 1, '"undo-race.r3"')).status).toBe(409);
    expect((await revisionsOf('undo-race')).map((r) => r.sql)).toEqual(['SELECT 1 AS mine', 'SELECT 1 AS mine', 'SELECT 3 AS theirs']);
  });

  it('lets exactly one of two simultaneous restores win', async () => {
    await put('undo-twice', { 'if-none-match': '*' });
    await t.fetchAs('editor', '/api/v1/queries/undo-twice', { method: 'DELETE' });
    const results = await Promise.all([restore('undo-twice', 1, '"undo-twice.r2"'), restore('undo-twice', 1, '"undo-twice.r2"', 'runner')]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await revisionsOf('undo-twice')).map((r) => r.revision)).toEqual([1, 2, 3]);
  });

  it('answers 404 for a revision that is not a saved one, 404 for an unknown query, and 428 without If-Match', async () => {
    await put('undo-bad', { 'if-none-match': '*' });
    await t.fetchAs('editor', '/api/v1/queries/undo-bad', { method: 'DELETE' });
    for (const revision of [2, 9]) {
      const missing = await restore('undo-bad', revision, '"undo-bad.r2"');
      expect(missing.status, `revision ${revision}`).toBe(404);
      expect(((await missing.json()) as { type: string }).type).toBe(ProblemTypes.notFound);
    }
    expect((await restore('never-saved', 1, '"never-saved.r1"')).status).toBe(404);
    const none = await restore('undo-bad', 1, undefined);
    expect(none.status).toBe(428);
    expect(((await none.json()) as { type: string }).type).toBe(ProblemTypes.preconditionRequired);
    expect((await revisionsOf('undo-bad')).map((r) => r.revision)).toEqual([1, 2]);
  });
});
