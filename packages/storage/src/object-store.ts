/**
 * Where the server keeps all of its state (DESIGN.md §5): a local folder in embedded mode, an S3
 * prefix in production. The production IAM policy grants only PutObject/GetObject, so the interface
 * has no delete: records are revised by writing new keys, and races are settled with conditional puts.
 */

export interface ObjectInfo {
  key: string;
  /** Size of the body in bytes. */
  size: number;
  /** Opaque, quoted like S3 (`"…"`); changes whenever the body changes. Pass it back as `ifMatch`. */
  etag: string;
  /** ISO 8601 UTC. */
  lastModified: string;
}

export interface PutOptions {
  /** Create-only: fails with PreconditionFailed when the key already exists (S3 `If-None-Match: *`). */
  ifNoneMatch?: '*';
  /** Compare-and-swap: fails with PreconditionFailed unless the object exists with this etag (S3 `If-Match`). */
  ifMatch?: string;
  contentType?: string;
}

/** Inclusive byte range, as in HTTP/S3 `Range: bytes=start-end`; `end` past the last byte is clamped. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface ListOptions {
  /** Only keys strictly after this one (S3 `StartAfter`); it need not exist. */
  startAfter?: string;
  /** At most this many objects in all. */
  limit?: number;
}

/**
 * Keys are `/`-separated paths without a leading `/`, empty, `.` or `..` segments, or NUL, of at most
 * 1024 UTF-8 bytes; every method rejects other keys with InvalidKey.
 */
export interface ObjectStore {
  /** Writes the whole body at once; readers see the old object or the new one, never a mix. */
  put(key: string, body: string | Uint8Array, opts?: PutOptions): Promise<ObjectInfo>;
  /**
   * Writes a body read from a stream (a result file), holding only a bounded part of it in memory, with
   * put's guarantees: readers see the old object or the whole new one, and the conditions are checked at the end.
   * A stream that fails leaves no object.
   */
  putStream(key: string, body: AsyncIterable<Uint8Array | string>, opts?: PutOptions): Promise<ObjectInfo>;
  /** Rejects with ObjectNotFound when there is no object at `key`. */
  get(key: string): Promise<{ body: Uint8Array; info: ObjectInfo }>;
  /** The body decoded as UTF-8. */
  getText(key: string): Promise<{ text: string; info: ObjectInfo }>;
  /** The body parsed as JSON (not validated: parse `value` at the caller); CorruptObject when it is not JSON. */
  getJson<T>(key: string): Promise<{ value: T; info: ObjectInfo }>;
  /** null when there is no object at `key`. */
  head(key: string): Promise<ObjectInfo | null>;
  /**
   * The body, or the bytes of `range`, as a stream of one version of the object even if it is
   * replaced meanwhile. A range starting at or past the end gives an empty stream.
   */
  read(key: string, range?: ByteRange): Promise<NodeJS.ReadableStream>;
  /** Objects whose key starts with `prefix` (any string, not only folders), in UTF-8 byte order of their keys. */
  list(prefix: string, opts?: ListOptions): AsyncIterable<ObjectInfo>;
}
