import { ObjectNotFound, PreconditionFailed, type ObjectStore } from '@access-monitor/storage';
import { SavedQuery, savedQueryEtag, type SaveQuery } from '@access-monitor/contracts';
import { NotFound, RevisionConflict } from '../http/errors';

const revKey = (name: string, revision: number) => `queries/${name}/rev-${String(revision).padStart(8, '0')}.json`;
export const etagOf = savedQueryEtag;

function conflict(message: string, current: SavedQuery | undefined): RevisionConflict {
  return new RevisionConflict(message, current && { revision: current.revision, etag: etagOf(current), value: current });
}

/**
 * Saved audit queries as immutable revisions (`queries/<name>/rev-<n>.json`), each written
 * create-only: two saves based on the same revision race for the same key and exactly one wins.
 * Delete is a tombstone revision, so nothing is ever lost and a delete can be undone.
 */
export function createSavedQueries(store: ObjectStore) {
  const read = async (key: string) => SavedQuery.parse((await store.getJson(key)).value);
  async function revisions(name: string): Promise<SavedQuery[]> {
    const out: SavedQuery[] = [];
    for await (const info of store.list(`queries/${name}/`)) out.push(await read(info.key));
    return out;
  }
  async function readRevision(name: string, revision: number): Promise<SavedQuery | undefined> {
    try {
      return await read(revKey(name, revision));
    } catch (e) {
      if (e instanceof ObjectNotFound) return undefined;
      throw e;
    }
  }
  /** Keys sort by revision, so only the last key's body is read. */
  async function latest(name: string): Promise<SavedQuery | undefined> {
    let last: string | undefined;
    for await (const info of store.list(`queries/${name}/`)) last = info.key;
    return last === undefined ? undefined : read(last);
  }
  async function write(next: SavedQuery): Promise<SavedQuery> {
    try {
      await store.put(revKey(next.name, next.revision), JSON.stringify(next), { ifNoneMatch: '*', contentType: 'application/json' });
      return next;
    } catch (e) {
      if (e instanceof PreconditionFailed) throw conflict(`query ${next.name} was saved by someone else in the meantime`, await latest(next.name));
      throw e;
    }
  }

  return {
    revisions,
    async get(name: string): Promise<SavedQuery> {
      const q = await latest(name);
      if (!q || q.deleted) throw new NotFound(`no saved query named ${name}`);
      return q;
    },
    /** The latest revision of each live query, or with `deleted`, of each deleted one (its tombstone: who deleted it, when). */
    async list(options: { deleted?: boolean } = {}): Promise<SavedQuery[]> {
      const lastKey = new Map<string, string>();
      for await (const info of store.list('queries/')) lastKey.set(info.key.split('/')[1]!, info.key); // keys sort by revision
      return (await Promise.all([...lastKey.values()].map(read))).filter((q) => q.deleted === (options.deleted ?? false));
    },
    /** `If-None-Match: *`: only when no live query has the name (a deleted one may be re-created). */
    async create(name: string, body: SaveQuery, user: string, now: Date): Promise<SavedQuery> {
      const current = await latest(name);
      if (current && !current.deleted) throw conflict(`a query named ${name} already exists`, current);
      return write({ ...body, name, revision: (current?.revision ?? 0) + 1, savedBy: user, savedAt: now.toISOString(), deleted: false });
    },
    /** `If-Match: <etag>` of the revision the edit was based on. */
    async update(name: string, ifMatch: string, body: SaveQuery, user: string, now: Date): Promise<SavedQuery> {
      const current = await latest(name);
      if (!current || current.deleted) throw new NotFound(`no saved query named ${name}`);
      if (ifMatch !== etagOf(current)) throw conflict(`query ${name} is at revision ${current.revision}; your edit was based on ${ifMatch}`, current);
      return write({ ...body, name, revision: current.revision + 1, savedBy: user, savedAt: now.toISOString(), deleted: false });
    },
    async remove(name: string, user: string, now: Date, ifMatch?: string): Promise<SavedQuery> {
      const current = await latest(name);
      if (!current || current.deleted) throw new NotFound(`no saved query named ${name}`);
      if (ifMatch !== undefined && ifMatch !== etagOf(current)) throw conflict(`query ${name} changed since ${ifMatch}`, current);
      return write({ ...current, revision: current.revision + 1, savedBy: user, savedAt: now.toISOString(), deleted: true });
    },
    /**
     * Undeletes: writes revision `revision`'s content as the next revision, only while the query is still the
     * tombstone `ifMatch` names (someone may have restored, re-created or deleted it again since).
     */
    async restore(name: string, revision: number, ifMatch: string, user: string, now: Date): Promise<SavedQuery> {
      const current = await latest(name);
      if (!current) throw new NotFound(`no saved query named ${name}`);
      if (ifMatch !== etagOf(current)) throw conflict(`query ${name} is at revision ${current.revision}; your restore was based on ${ifMatch}`, current);
      if (!current.deleted) throw conflict(`query ${name} is not deleted; open revision ${current.revision} to restore an older one`, current);
      const source = revision < current.revision ? await readRevision(name, revision) : undefined;
      if (!source || source.deleted) throw new NotFound(`query ${name} has no saved revision ${revision}`);
      const { title, description, sql, days, chart } = source;
      return write({ title, description, sql, days, chart, name, revision: current.revision + 1, savedBy: user, savedAt: now.toISOString(), deleted: false });
    },
  };
}
export type SavedQueries = ReturnType<typeof createSavedQueries>;
