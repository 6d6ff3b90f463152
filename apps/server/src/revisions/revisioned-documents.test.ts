import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createFsObjectStore, type ObjectStore } from '@access-monitor/storage';
import { createRevisionLog } from './revisioned-documents';

const Note = z.object({ revision: z.number().int().min(1), text: z.string() });
type Note = z.infer<typeof Note>;

let dir: string;
let store: ObjectStore;
const notes = () => createRevisionLog<Note>(store, { parse: (v) => Note.parse(v) });

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-revisions-'));
  store = createFsObjectStore(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('revision log', () => {
  it('writes each revision once: the loser of a race for the same revision is told so and nothing is overwritten', async () => {
    const [a, b] = await Promise.all([notes().append('notes/x/', { revision: 1, text: 'a' }), notes().append('notes/x/', { revision: 1, text: 'b' })]);
    expect([a, b].sort()).toEqual([false, true]);
    const kept = await notes().latest('notes/x/');
    expect(kept?.text).toBe(a ? 'a' : 'b');
    expect(await store.head('notes/x/rev-00000001.json')).not.toBeNull();
  });

  it('finds the newest revision of every document under a prefix, however deep the documents sit', async () => {
    const log = notes();
    for (const [folder, revision, text] of [
      ['notes/team-a/x/', 1, 'x1'],
      ['notes/team-a/x/', 2, 'x2'],
      ['notes/team-a/y/', 1, 'y1'],
      ['notes/team-b/z/', 1, 'z1'],
    ] as const) {
      await log.append(folder, { revision, text });
    }
    expect((await log.latestUnder('notes/team-a/')).map((n) => n.text).sort()).toEqual(['x2', 'y1']);
    expect((await log.latestUnder('notes/')).map((n) => n.text).sort()).toEqual(['x2', 'y1', 'z1']);
    expect((await log.all('notes/team-a/x/')).map((n) => n.text)).toEqual(['x1', 'x2']);
    expect(await log.revision('notes/team-a/x/', 1)).toEqual({ revision: 1, text: 'x1' });
    expect(await log.revision('notes/team-a/x/', 3)).toBeUndefined();
  });

  it('skips a revision that does not parse when asked to, and names it; fails otherwise', async () => {
    await notes().append('notes/good/', { revision: 1, text: 'fine' });
    await store.put('notes/bad/rev-00000001.json', JSON.stringify({ revision: 'one' }));
    const corrupt: string[] = [];
    expect((await notes().latestUnder('notes/', (key) => corrupt.push(key))).map((n) => n.text)).toEqual(['fine']);
    expect(corrupt).toEqual(['notes/bad/rev-00000001.json']);
    await expect(notes().latestUnder('notes/')).rejects.toThrow();
  });
});
