import { ObjectNotFound, PreconditionFailed, type ObjectStore } from '@access-monitor/storage';
import { NotFound } from '../domain-errors';
import { PreconditionRequired, RevisionConflict } from './revision-errors';

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

/** A revision file of a document folder: `<folder>rev-<n>.json`, zero-padded so keys list in revision order. */
const revisionKey = (folder: string, revision: number): string => `${folder}rev-${String(revision).padStart(8, '0')}.json`;
/** The document folder a revision key belongs to. */
const folderOf = (key: string): string => key.slice(0, key.lastIndexOf('/') + 1);

/**
 * Immutable revisions of documents, each document a folder of `rev-<n>.json` files written create-only:
 * two writers of the same revision race for the same key and exactly one wins. Revisions never change,
 * so parsed ones are kept (bounded) and a listing re-reads nothing. The storage under every revisioned
 * resource: saved queries, custom reports and response actions (through createRevisionedDocuments) and triage.
 */
export function createRevisionLog<T extends { revision: number }>(store: ObjectStore, opts: { parse: (value: unknown) => T; keep?: number }) {
  const { parse } = opts;
  const keep = opts.keep ?? 10_000;
  const parsed = new Map<string, T>();
  const read = async (key: string): Promise<T> => {
    const hit = parsed.get(key);
    if (hit) return hit;
    const doc = parse((await store.getJson(key)).value);
    parsed.set(key, doc);
    if (parsed.size > keep) parsed.delete(parsed.keys().next().value!);
    return doc;
  };
  /** Reads each key; a revision that does not parse goes to `onCorrupt` and is skipped when one is given. */
  const readAll = async (keys: string[], onCorrupt?: (key: string, error: unknown) => void): Promise<T[]> => {
    const docs: Array<T | undefined> = await Promise.all(
      keys.map(async (key): Promise<T | undefined> => {
        try {
          return await read(key);
        } catch (e) {
          if (!onCorrupt) throw e;
          onCorrupt(key, e);
          return undefined;
        }
      }),
    );
    return docs.filter((d): d is T => d !== undefined);
  };

  return {
    /** The newest revision of the document in `folder`; keys sort by revision, so only the last key's body is read. */
    async latest(folder: string): Promise<T | undefined> {
      let last: string | undefined;
      for await (const info of store.list(folder)) last = info.key;
      return last === undefined ? undefined : read(last);
    },
    async revision(folder: string, revision: number): Promise<T | undefined> {
      try {
        return await read(revisionKey(folder, revision));
      } catch (e) {
        if (e instanceof ObjectNotFound) return undefined;
        throw e;
      }
    },
    /** Every revision under `prefix` (one document's folder, or a folder of documents), in key order. */
    async all(prefix: string): Promise<T[]> {
      const keys: string[] = [];
      for await (const info of store.list(prefix)) keys.push(info.key);
      return readAll(keys);
    },
    /** The newest revision of every document under `prefix`. */
    async latestUnder(prefix: string, onCorrupt?: (key: string, error: unknown) => void): Promise<T[]> {
      const last = new Map<string, string>();
      for await (const info of store.list(prefix)) last.set(folderOf(info.key), info.key);
      return readAll([...last.values()], onCorrupt);
    },
    /** Writes `doc` as revision `doc.revision` of the document in `folder`; false when that revision exists (a lost race). */
    async append(folder: string, doc: T): Promise<boolean> {
      try {
        await store.put(revisionKey(folder, doc.revision), JSON.stringify(doc), { ifNoneMatch: '*', contentType: 'application/json' });
        return true;
      } catch (e) {
        if (e instanceof PreconditionFailed) return false;
        throw e;
      }
    },
  };
}
export type RevisionLog<T extends { revision: number }> = ReturnType<typeof createRevisionLog<T>>;

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
  const folder = (name: string) => `${prefix}/${name}/`;
  const log = createRevisionLog<T>(store, { parse });
  const conflict = (message: string, current: T | undefined) => new RevisionConflict(message, current && { revision: current.revision, etag: etag(current), value: current });
  const latest = (name: string): Promise<T | undefined> => log.latest(folder(name));

  async function write(next: T): Promise<T> {
    if (await log.append(folder(next.name), next)) return next;
    throw conflict(`${noun} ${next.name} was saved by someone else in the meantime`, await latest(next.name));
  }
  const stamp = (name: string, revision: number, user: string, now: Date) => ({ name, revision, savedBy: user, savedAt: now.toISOString() });

  return {
    etag,
    latest,
    revisions: (name: string): Promise<T[]> => log.all(folder(name)),
    revision: (name: string, revision: number): Promise<T | undefined> => log.revision(folder(name), revision),
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
      const docs = await log.latestUnder(`${prefix}/`, options.onCorrupt);
      return docs.filter((d) => d.deleted === (options.deleted ?? false));
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
