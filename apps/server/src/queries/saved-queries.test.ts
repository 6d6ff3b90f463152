import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemTypes, SavedQuery } from '@access-monitor/contracts';
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
