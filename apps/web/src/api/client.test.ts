import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProblemTypes, SavedQuery } from '@access-monitor/contracts';
import { ApiError, ClientProblemTypes } from './client';
import { api } from './endpoints';

const saved = {
  name: 'root-sessions',
  title: 'Root sessions',
  description: '',
  sql: 'SELECT 1',
  days: 7,
  chart: null,
  revision: 2,
  savedBy: 'alice',
  savedAt: '2024-05-01T12:00:00.000Z',
  deleted: false,
};

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  const fetchMock = vi.fn(async (_url: string, _init: RequestInit) => new Response(JSON.stringify(body), { status, headers }));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

const sentHeaders = (fetchMock: ReturnType<typeof answer>) => new Headers(fetchMock.mock.calls[0]![1].headers);

afterEach(() => vi.unstubAllGlobals());

describe('saved query endpoints', () => {
  it('hands out the ETag of the revision it loaded', async () => {
    answer(200, saved, { ETag: '"root-sessions.r2"', 'Content-Type': 'application/json' });
    await expect(api.savedQuery('root-sessions')).resolves.toEqual({ query: SavedQuery.parse(saved), etag: '"root-sessions.r2"' });
  });

  it('refuses an answer without an ETag, since no edit could be saved on top of it', async () => {
    answer(200, saved);
    await expect(api.savedQuery('root-sessions')).rejects.toMatchObject({ problem: { type: ClientProblemTypes.invalidResponse } });
  });

  it('creates with If-None-Match: * and updates with If-Match', async () => {
    const body = { title: 'Root sessions', description: '', sql: 'SELECT 1', days: 7, chart: null };
    const create = answer(201, { ...saved, revision: 1 }, { ETag: '"root-sessions.r1"' });
    await api.saveQuery('root-sessions', body, { create: true });
    expect(create.mock.calls[0]![1].method).toBe('PUT');
    expect(sentHeaders(create).get('If-None-Match')).toBe('*');
    expect(sentHeaders(create).get('If-Match')).toBeNull();

    const update = answer(200, saved, { ETag: '"root-sessions.r2"' });
    await expect(api.saveQuery('root-sessions', body, { ifMatch: '"root-sessions.r1"' })).resolves.toMatchObject({ etag: '"root-sessions.r2"' });
    expect(sentHeaders(update).get('If-Match')).toBe('"root-sessions.r1"');
    expect(sentHeaders(update).get('If-None-Match')).toBeNull();
  });

  it('throws the 409 problem with the current revision for the conflict view', async () => {
    answer(409, { type: ProblemTypes.conflict, title: 'Conflicting edit', status: 409, currentRevision: 2, currentEtag: '"root-sessions.r2"', current: saved });
    const error: unknown = await api.saveQuery('root-sessions', saved, { ifMatch: '"root-sessions.r1"' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).problem).toMatchObject({ status: 409, currentEtag: '"root-sessions.r2"', current: saved });
  });
});
