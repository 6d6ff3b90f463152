import { ObjectNotFound, PreconditionFailed, type ObjectStore } from '@access-monitor/storage';
import { NotFound, PreconditionRequired, RevisionConflict } from '../http/errors';

/** What every revisioned resource carries beside its own fields. */
export interface Revision {
  name: string;
  revision: number;
  savedBy: string;
  savedAt: string;
  deleted: boolean;
}

/** What a conditional PUT asks for: create (`If-None-Match: *`) or update the revision it names (`If-Match`). */
export type SavePrecondition = { create: true } | { ifMatch: string };

/** The precondition of a save from its headers; 428 when it has neither, naming what to send. */
export function savePrecondition(headers: { ifNoneMatch: string | undefined; ifMatch: string | undefined }, noun: string): SavePrecondition {
  if (headers.ifNoneMatch === '*') return { create: true };
  if (headers.ifMatch) return { ifMatch: headers.ifMatch };
  throw new PreconditionRequired(`send If-None-Match: * to create a ${noun}, or If-Match: <ETag> of the revision your edit is based on to update it`);
}

export interface RevisionedDocumentsOptions<T extends Revision> {
  /** Folder of the resource in the store, e.g. `actions/rules`. */
  prefix: string;
  /** How the resource is called in messages: `response action`. */
  noun: string;
  parse: (value: unknown) => T;
  etag: (doc: Pick<T, 'name' | 'revision'>) => string;
}

/**
 * A resource kept as immutable revisions (`<prefix>/<name>/rev-<n>.json`), each written create-only:
 * two saves based on the same revision race for the same key and exactly one wins. Delete is a
 * tombstone revision, so nothing is ever lost and a delete can be undone.
 */
export function createRevisionedDocuments<T extends Revision, Body extends object>(store: ObjectStore, opts: RevisionedDocumentsOptions<T>) {
  const { prefix, noun, parse, etag } = opts;
  const revKey = (name: string, revision: number) => `${prefix}/${name}/rev-${String(revision).padStart(8, '0')}.json`;
  /** Revisions are written once and never change: a parsed one is kept by key (bounded), so a listing re-reads nothing. */
  const parsed = new Map<string, T>();
  const read = async (key: string): Promise<T> => {
    const hit = parsed.get(key);
    if (hit) return hit;
    const doc = parse((await store.getJson(key)).value);
    parsed.set(key, doc);
    if (parsed.size > 10_000) parsed.delete(parsed.keys().next().value!);
    return doc;
  };
  const conflict = (message: string, current: T | undefined) => new RevisionConflict(message, current && { revision: current.revision, etag: etag(current), value: current });

  /** Keys sort by revision, so only the last key's body is read. */
  async function latest(name: string): Promise<T | undefined> {
    let last: string | undefined;
    for await (const info of store.list(`${prefix}/${name}/`)) last = info.key;
    return last === undefined ? undefined : read(last);
  }
  async function write(next: T): Promise<T> {
    try {
      await store.put(revKey(next.name, next.revision), JSON.stringify(next), { ifNoneMatch: '*', contentType: 'application/json' });
      return next;
    } catch (e) {
      if (e instanceof PreconditionFailed) throw conflict(`${noun} ${next.name} was saved by someone else in the meantime`, await latest(next.name));
      throw e;
    }
  }
  const stamp = (name: string, revision: number, user: string, now: Date) => ({ name, revision, savedBy: user, savedAt: now.toISOString() });

  return {
    etag,
    latest,
    async revisions(name: string): Promise<T[]> {
      const out: T[] = [];
      for await (const info of store.list(`${prefix}/${name}/`)) out.push(await read(info.key));
      return out;
    },
    async revision(name: string, revision: number): Promise<T | undefined> {
      try {
        return await read(revKey(name, revision));
      } catch (e) {
        if (e instanceof ObjectNotFound) return undefined;
        throw e;
      }
    },
    async get(name: string): Promise<T> {
      const doc = await latest(name);
      if (!doc || doc.deleted) throw new NotFound(`no ${noun} named ${name}`);
      return doc;
    },
    /**
     * The latest revision of each live document (or, with `deleted`, each tombstone). A revision that does
     * not parse is reported through `onCorrupt` and skipped, so one bad object never hides the others.
     */
    async list(options: { deleted?: boolean; onCorrupt?: (key: string, error: unknown) => void } = {}): Promise<T[]> {
      const lastKey = new Map<string, string>();
      for await (const info of store.list(`${prefix}/`)) lastKey.set(info.key.slice(prefix.length + 1).split('/')[0]!, info.key);
      const docs: Array<T | undefined> = await Promise.all(
        [...lastKey.values()].map(async (key): Promise<T | undefined> => {
          try {
            return await read(key);
          } catch (e) {
            if (!options.onCorrupt) throw e;
            options.onCorrupt(key, e);
            return undefined;
          }
        }),
      );
      return docs.filter((d): d is T => d !== undefined && d.deleted === (options.deleted ?? false));
    },
    /** `If-None-Match: *`: only when no live document has the name (a deleted one may be re-created). */
    async create(name: string, body: Body, user: string, now: Date): Promise<T> {
      const current = await latest(name);
      if (current && !current.deleted) throw conflict(`a ${noun} named ${name} already exists`, current);
      return write(parse({ ...body, ...stamp(name, (current?.revision ?? 0) + 1, user, now), deleted: false }));
    },
    /** `If-Match: <etag>` of the revision the edit was based on. */
    async update(name: string, ifMatch: string, body: Body, user: string, now: Date): Promise<T> {
      const current = await latest(name);
      if (!current || current.deleted) throw new NotFound(`no ${noun} named ${name}`);
      if (ifMatch !== etag(current)) throw conflict(`${noun} ${name} is at revision ${current.revision}; your edit was based on ${ifMatch}`, current);
      return write(parse({ ...body, ...stamp(name, current.revision + 1, user, now), deleted: false }));
    },
    /** Creates or updates as the precondition says. */
    async save(name: string, precondition: SavePrecondition, body: Body, user: string, now: Date): Promise<T> {
      return 'create' in precondition ? this.create(name, body, user, now) : this.update(name, precondition.ifMatch, body, user, now);
    },
    /**
     * Undeletes: writes revision `revision`'s content as the next revision, only while the document is still
     * the tombstone `ifMatch` names (someone may have restored, re-created or deleted it again since).
     */
    async restore(name: string, revision: number, ifMatch: string, user: string, now: Date): Promise<T> {
      const current = await latest(name);
      if (!current) throw new NotFound(`no ${noun} named ${name}`);
      if (ifMatch !== etag(current)) throw conflict(`${noun} ${name} is at revision ${current.revision}; your restore was based on ${ifMatch}`, current);
      if (!current.deleted) throw conflict(`${noun} ${name} is not deleted; open revision ${current.revision} to restore an older one`, current);
      const source = revision < current.revision ? await this.revision(name, revision) : undefined;
      if (!source || source.deleted) throw new NotFound(`${noun} ${name} has no saved revision ${revision}`);
      return write({ ...source, ...stamp(name, current.revision + 1, user, now), deleted: false });
    },
    async remove(name: string, user: string, now: Date, ifMatch?: string): Promise<T> {
      const current = await latest(name);
      if (!current || current.deleted) throw new NotFound(`no ${noun} named ${name}`);
      if (ifMatch !== undefined && ifMatch !== etag(current)) throw conflict(`${noun} ${name} changed since ${ifMatch}`, current);
      return write({ ...current, ...stamp(name, current.revision + 1, user, now), deleted: true });
    },
  };
}
export type RevisionedDocuments<T extends Revision, Body extends object> = ReturnType<typeof createRevisionedDocuments<T, Body>>;
