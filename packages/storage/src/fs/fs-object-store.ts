import { createHash, randomBytes } from 'node:crypto';
import { constants, type BigIntStats } from 'node:fs';
import { link, lstat, mkdir, open, readdir, realpath, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { InvalidKey, ObjectNotFound, PreconditionFailed } from '../errors';
import { assertValidKey, compareKeys } from '../object-key';
import type { ByteRange, ListOptions, ObjectInfo, ObjectStore, PutOptions } from '../object-store';
import { errorCode, withKeyLock, type KeyLockOptions } from './key-lock';
import { describes, EtagCache, etagOfBytes, etagOfHandle, readSidecar, sameEtag, sidecarFor } from './object-etag';
import { decodeJson, decodeText } from '../decode-body';

export interface FsObjectStoreOptions {
  /** A lock file older than this is taken to be left by a crashed writer and broken. Default 10 s. */
  staleLockMs?: number;
  /** fsync bodies and folders so an acknowledged put survives a power cut. Default true. */
  durable?: boolean;
}

/**
 * Files of the store's own, beside the objects in each folder. Keys may not have a segment that
 * starts with this, and list skips such names.
 */
const RESERVED = '.am-';
const TEMP = `${RESERVED}tmp.`;
const META = `${RESERVED}meta.`;
const LOCK = `${RESERVED}lock.`;
/** Most filesystems allow 255-byte names, and the sidecar and lock names add their prefix. */
const MAX_SEGMENT_BYTES = 255 - META.length;

const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Where one key lives: the object file and, in the same folder, its sidecar and lock. */
interface Location {
  key: string;
  /** Folders between the root and the object. */
  parents: string[];
  dir: string;
  file: string;
  meta: string;
  lock: string;
}

/** A body written to a temp file in the object's folder, ready to be moved into place. */
interface TempBody {
  path: string;
  stats: BigIntStats;
  etag: string;
  size: number;
}

interface OpenObject {
  handle: FileHandle;
  stats: BigIntStats;
}

/**
 * An ObjectStore in a local folder: the object `a/b.json` is the file `<root>/a/b.json`.
 *
 * - Puts write a temp file in the object's folder and rename it into place (or link it, for
 *   create-only), so a reader sees the old file or the new one, never a partial one.
 * - Every put to a key runs under that key's lock file (key-lock.ts), shared by all processes using
 *   the folder; If-Match compares and swaps inside it.
 * - Create-only does not rely on the lock: `link(temp, file)` fails with EEXIST when the file
 *   exists, so even a wrongly broken lock cannot let two creators win.
 *
 * Unlike S3, a key cannot be both an object and a folder of other objects (`a` and `a/b`); the
 * second put fails with InvalidKey. Nothing is ever deleted, as with the production IAM policy.
 */
export function createFsObjectStore(rootDir: string, options: FsObjectStoreOptions = {}): ObjectStore {
  return new FsObjectStore(rootDir, options);
}

class FsObjectStore implements ObjectStore {
  private realRoot: Promise<string> | undefined;
  private readonly etags = new EtagCache();
  private readonly staleLockMs: number;
  private readonly durable: boolean;

  constructor(
    private readonly rootDir: string,
    options: FsObjectStoreOptions,
  ) {
    this.staleLockMs = options.staleLockMs ?? 10_000;
    this.durable = options.durable ?? true;
  }

  async put(key: string, body: string | Uint8Array, opts: PutOptions = {}): Promise<ObjectInfo> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    return this.commit(key, opts, async (dir) => ({ ...(await this.writeTemp(dir, bytes, this.durable)), etag: etagOfBytes(bytes), size: bytes.byteLength }));
  }

  async putStream(key: string, body: AsyncIterable<Uint8Array | string>, opts: PutOptions = {}): Promise<ObjectInfo> {
    return this.commit(key, opts, (dir) => this.streamTemp(dir, body, this.durable));
  }

  /** Checks the options, writes the body to a temp file beside the object (`writeBody`), then moves it into place under the key's lock. */
  private async commit(key: string, opts: PutOptions, writeBody: (dir: string) => Promise<TempBody>): Promise<ObjectInfo> {
    const loc = await this.locate(key);
    if (opts.ifNoneMatch !== undefined && opts.ifNoneMatch !== '*') throw new TypeError(`ifNoneMatch must be '*', not ${JSON.stringify(opts.ifNoneMatch)}`);
    if (opts.ifNoneMatch !== undefined && opts.ifMatch !== undefined) throw new TypeError('ifNoneMatch and ifMatch cannot be combined');
    await this.makeParents(loc);

    // The body is written before taking the lock, so the lock is held only for a few renames.
    const data = await writeBody(loc.dir);
    const { etag } = data;
    let metaTemp: string | undefined;
    try {
      metaTemp = (await this.writeTemp(loc.dir, Buffer.from(JSON.stringify(sidecarFor(etag, data.stats, opts.contentType))), false)).path;
      const sidecar = metaTemp;
      await withKeyLock(loc.lock, this.lockOptions(loc.dir), async (lock) => {
        if ((await lstatOrNull(loc.file))?.isDirectory()) throw new InvalidKey(key, `objects exist under "${key}/", and the filesystem store cannot also hold an object "${key}"`);
        const current = await this.headAt(loc);
        if (opts.ifNoneMatch && current) throw new PreconditionFailed(key, current.etag, 'ifNoneMatch');
        if (opts.ifMatch !== undefined && (!current || !sameEtag(current.etag, opts.ifMatch))) throw new PreconditionFailed(key, current?.etag, 'ifMatch');

        await lock.assertHeld();
        if (opts.ifNoneMatch) {
          try {
            await link(data.path, loc.file);
          } catch (e) {
            if (errorCode(e) === 'EEXIST') throw new PreconditionFailed(key, (await this.headAt(loc))?.etag, 'ifNoneMatch');
            throw e;
          }
        } else {
          await rename(data.path, loc.file);
        }
        await rename(sidecar, loc.meta);
      });
      metaTemp = undefined;
      if (this.durable) await syncDir(loc.dir);
      return { key, size: data.size, etag, lastModified: isoTime(data.stats) };
    } finally {
      // After a link the temp file is a second name of the object; after a rename it is already gone.
      await unlinkQuietly(data.path);
      if (metaTemp !== undefined) await unlinkQuietly(metaTemp);
    }
  }

  async get(key: string): Promise<{ body: Uint8Array; info: ObjectInfo }> {
    const loc = await this.locate(key);
    const object = await this.openAt(loc);
    if (!object) throw new ObjectNotFound(key);
    try {
      const body = await object.handle.readFile();
      const etag = (await this.sidecarEtag(loc, object.stats)) ?? this.etags.set(loc.file, object.stats, etagOfBytes(body));
      return { body, info: { key, size: body.byteLength, etag, lastModified: isoTime(object.stats) } };
    } finally {
      await object.handle.close();
    }
  }

  async getText(key: string): Promise<{ text: string; info: ObjectInfo }> {
    const { body, info } = await this.get(key);
    return { text: decodeText(body), info };
  }

  async getJson<T>(key: string): Promise<{ value: T; info: ObjectInfo }> {
    const { body, info } = await this.get(key);
    return { value: decodeJson<T>(key, body), info };
  }

  async head(key: string): Promise<ObjectInfo | null> {
    return this.headAt(await this.locate(key));
  }

  async read(key: string, range?: ByteRange): Promise<NodeJS.ReadableStream> {
    if (range) assertRange(range);
    const object = await this.openAt(await this.locate(key));
    if (!object) throw new ObjectNotFound(key);
    const start = range?.start ?? 0;
    const end = Math.min(range?.end ?? Infinity, Number(object.stats.size) - 1);
    if (start > end) {
      await object.handle.close();
      return new Readable({
        read() {
          this.push(null);
        },
      });
    }
    // Streams from the handle already open, so a put replacing the file meanwhile does not mix versions.
    return object.handle.createReadStream({ start, end });
  }

  async *list(prefix: string, opts: ListOptions = {}): AsyncIterable<ObjectInfo> {
    let remaining = opts.limit ?? Infinity;
    if (remaining <= 0 || prefix.startsWith('/') || prefix.includes('\0')) return;
    const slash = prefix.lastIndexOf('/');
    const parents = slash < 0 ? [] : prefix.slice(0, slash).split('/');
    // No key has such a folder, and none of them may be followed out of the root.
    if (parents.some((s) => s === '' || s === '.' || s === '..' || s.startsWith(RESERVED))) return;
    const root = await this.root();
    const dir = path.join(root, ...parents);
    if ((await folderState(dir)) !== 'real') return;

    for await (const key of walk(dir, slash < 0 ? '' : prefix.slice(0, slash + 1), prefix.slice(slash + 1), opts.startAfter)) {
      if (!isValidKey(key)) continue;
      const info = await this.headAt(this.locationOf(root, key));
      if (!info) continue;
      yield info;
      if (--remaining <= 0) return;
    }
  }

  private root(): Promise<string> {
    this.realRoot ??= (async () => {
      await mkdir(this.rootDir, { recursive: true });
      return realpath(this.rootDir);
    })().catch((e: unknown) => {
      // A folder that is not there yet (an unmounted volume) may be there on the next call.
      this.realRoot = undefined;
      throw e;
    });
    return this.realRoot;
  }

  private async locate(key: string): Promise<Location> {
    assertValidKey(key);
    for (const segment of key.split('/')) {
      if (segment.startsWith(RESERVED)) throw new InvalidKey(key, `segments starting with "${RESERVED}" are reserved for the filesystem store's own files`);
      if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) throw new InvalidKey(key, `a segment is longer than ${MAX_SEGMENT_BYTES} bytes, which the filesystem store cannot hold`);
    }
    return this.locationOf(await this.root(), key);
  }

  private locationOf(root: string, key: string): Location {
    const segments = key.split('/');
    const name = segments.pop() as string;
    const dir = path.join(root, ...segments);
    return { key, parents: segments, dir, file: path.join(dir, name), meta: path.join(dir, META + name), lock: path.join(dir, LOCK + name) };
  }

  /** The object's folder, created one level at a time so that no symbolic link is followed. */
  private async makeParents(loc: Location): Promise<void> {
    if ((await folderState(loc.dir)) === 'real' && (await lstat(loc.dir)).isDirectory()) return;
    let dir = await this.root();
    for (const [i, segment] of loc.parents.entries()) {
      dir = path.join(dir, segment);
      try {
        await mkdir(dir);
        continue;
      } catch (e) {
        if (errorCode(e) !== 'EEXIST') throw e;
      }
      const existing = await lstat(dir);
      const prefix = loc.parents.slice(0, i + 1).join('/');
      if (existing.isSymbolicLink()) throw new InvalidKey(loc.key, `"${prefix}" is a symbolic link, which the filesystem store does not follow`);
      if (!existing.isDirectory()) throw new InvalidKey(loc.key, `"${prefix}" is an object, and the filesystem store cannot also hold objects under "${prefix}/"`);
    }
    if ((await folderState(loc.dir)) !== 'real') throw new InvalidKey(loc.key, 'its folder changed into a symbolic link while being created');
  }

  /** The object file opened for reading, or null when there is none (missing, or a folder of other objects). */
  private async openAt(loc: Location): Promise<OpenObject | null> {
    const folder = await folderState(loc.dir);
    if (folder === 'linked') throw new InvalidKey(loc.key, 'its folder is reached through a symbolic link, which the filesystem store does not follow');
    if (folder === 'missing') return null;
    let handle: FileHandle;
    try {
      handle = await open(loc.file, READ_FLAGS);
    } catch (e) {
      if (errorCode(e) === 'ENOENT' || errorCode(e) === 'ENOTDIR') return null;
      if (errorCode(e) === 'ELOOP') throw new InvalidKey(loc.key, 'it is a symbolic link, which the filesystem store does not follow');
      throw e;
    }
    const stats = await handle.stat({ bigint: true });
    if (!stats.isFile()) {
      await handle.close();
      return null;
    }
    return { handle, stats };
  }

  private async headAt(loc: Location): Promise<ObjectInfo | null> {
    const object = await this.openAt(loc);
    if (!object) return null;
    try {
      const etag = (await this.sidecarEtag(loc, object.stats)) ?? this.etags.get(loc.file, object.stats) ?? this.etags.set(loc.file, object.stats, await etagOfHandle(object.handle));
      return { key: loc.key, size: Number(object.stats.size), etag, lastModified: isoTime(object.stats) };
    } finally {
      await object.handle.close();
    }
  }

  private async sidecarEtag(loc: Location, stats: BigIntStats): Promise<string | undefined> {
    const sidecar = await readSidecar(loc.meta);
    return sidecar && describes(sidecar, stats) ? sidecar.etag : undefined;
  }

  private async writeTemp(dir: string, bytes: Uint8Array, durable: boolean): Promise<{ path: string; stats: BigIntStats }> {
    const file = tempPath(dir);
    const handle = await open(file, 'wx');
    try {
      await handle.writeFile(bytes);
      if (durable) await handle.sync();
      return { path: file, stats: await handle.stat({ bigint: true }) };
    } catch (e) {
      await unlinkQuietly(file);
      throw e;
    } finally {
      await handle.close();
    }
  }

  /** Copies the stream into a temp file chunk by chunk, hashing as it goes; the temp file is gone if the stream fails. */
  private async streamTemp(dir: string, body: AsyncIterable<Uint8Array | string>, durable: boolean): Promise<TempBody> {
    const file = tempPath(dir);
    const handle = await open(file, 'wx');
    try {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of body) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        hash.update(bytes);
        for (let offset = 0; offset < bytes.byteLength; ) offset += (await handle.write(bytes, offset, bytes.byteLength - offset)).bytesWritten;
        size += bytes.byteLength;
      }
      if (durable) await handle.sync();
      return { path: file, stats: await handle.stat({ bigint: true }), etag: `"${hash.digest('hex')}"`, size };
    } catch (e) {
      await unlinkQuietly(file);
      throw e;
    } finally {
      await handle.close();
    }
  }

  private lockOptions(dir: string): KeyLockOptions {
    return { staleMs: this.staleLockMs, maxWaitMs: Math.max(30_000, 3 * this.staleLockMs), asidePath: () => tempPath(dir) };
  }
}

/**
 * Keys of the files under `dir` (whose keys start with `keyPrefix`) in UTF-8 byte order. A folder
 * `d` sorts as `d/`, which is where all of its keys fall among its siblings.
 */
async function* walk(dir: string, keyPrefix: string, namePrefix: string, startAfter: string | undefined): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if (errorCode(e) === 'ENOENT' || errorCode(e) === 'ENOTDIR') return;
    throw e;
  }
  const children = entries
    // Symbolic links are neither files nor folders here: the store never follows them.
    .filter((e) => e.name.startsWith(namePrefix) && !e.name.startsWith(RESERVED) && (e.isFile() || e.isDirectory()))
    .map((e) => ({ name: e.name, isDir: e.isDirectory(), sortKey: e.isDirectory() ? `${e.name}/` : e.name }))
    .sort((a, b) => compareKeys(a.sortKey, b.sortKey));

  for (const child of children) {
    const key = keyPrefix + child.sortKey;
    if (child.isDir) {
      // Skip a folder whose keys all sort at or before startAfter.
      if (startAfter !== undefined && compareKeys(key, startAfter) <= 0 && !startAfter.startsWith(key)) continue;
      yield* walk(path.join(dir, child.name), key, '', startAfter);
    } else if (startAfter === undefined || compareKeys(key, startAfter) > 0) {
      yield key;
    }
  }
}

/** Whether `dir` exists with no symbolic link on the way to it (the root is already a real path). */
async function folderState(dir: string): Promise<'real' | 'missing' | 'linked'> {
  try {
    return (await realpath(dir)) === dir ? 'real' : 'linked';
  } catch (e) {
    if (errorCode(e) === 'ENOENT' || errorCode(e) === 'ENOTDIR') return 'missing';
    throw e;
  }
}

function isValidKey(key: string): boolean {
  try {
    assertValidKey(key);
    return true;
  } catch {
    return false;
  }
}

function assertRange(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`range start must be a non-negative integer, not ${start}`);
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) throw new RangeError(`range end must be an integer at or after start ${start}, not ${end}`);
}

function tempPath(dir: string): string {
  return path.join(dir, TEMP + randomBytes(8).toString('hex'));
}

function isoTime(stats: BigIntStats): string {
  return new Date(Number(stats.mtimeNs / 1_000_000n)).toISOString();
}

async function lstatOrNull(file: string): Promise<BigIntStats | null> {
  try {
    return await lstat(file, { bigint: true });
  } catch (e) {
    if (errorCode(e) === 'ENOENT' || errorCode(e) === 'ENOTDIR') return null;
    throw e;
  }
}

async function unlinkQuietly(file: string): Promise<void> {
  await unlink(file).catch((e: unknown) => {
    if (errorCode(e) !== 'ENOENT') throw e;
  });
}

/** Makes the renames in `dir` durable; some filesystems cannot fsync a folder, which is fine. */
async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (e) {
    if (!['EINVAL', 'EISDIR', 'EPERM', 'ENOTSUP'].includes(errorCode(e) ?? '')) throw e;
  } finally {
    await handle?.close();
  }
}
