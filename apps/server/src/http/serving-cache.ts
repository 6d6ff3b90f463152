import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, Response } from 'express';

const gzipAsync = promisify(gzip);

/** Default `limits.serving_cache_bytes`. */
export const SERVING_CACHE_BYTES = 64 * 1024 ** 2;

/** Bodies smaller than this are sent as they are: gzip would not pay for its headers. */
const GZIP_FROM_BYTES = 1024;

/** A JSON answer serialised once: its bytes, gzipped bytes when worth it, and a validator for If-None-Match. */
export interface CachedJson {
  /** Weak: the same value for the identity and the gzip representation. */
  etag: string;
  body: Buffer;
  gzipped?: Buffer;
}

/**
 * Answers kept in memory, least recently used first out once their bytes pass `maxBytes`. Keys must name
 * every version the value depends on (object ETags, data versions): an entry is never stale, only unused.
 * Concurrent misses of one key share one build. Holds no authority: callers check permissions first.
 */
export class ServingCache {
  private readonly entries = new Map<string, { value: unknown; bytes: number }>();
  private readonly building = new Map<string, Promise<unknown>>();
  private used = 0;

  constructor(readonly maxBytes: number = SERVING_CACHE_BYTES) {
    if (!Number.isInteger(maxBytes) || maxBytes < 0) throw new RangeError('maxBytes must be a non-negative integer');
  }

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  get<T>(key: string): T | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value as T;
  }

  /** Keeps the value unless it alone is larger than the whole cache. */
  set(key: string, value: unknown, bytes: number): void {
    this.delete(key);
    const size = bytes + key.length * 2;
    if (size > this.maxBytes) return;
    this.entries.set(key, { value, bytes: size });
    this.used += size;
    for (const [oldest, entry] of this.entries) {
      if (this.used <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.used -= entry.bytes;
    }
  }

  delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.used -= old.bytes;
  }

  /** The cached value, or the one `build` makes (kept with the size `sizeOf` gives); a failed build is not kept. */
  async getOrBuild<T>(key: string, build: () => Promise<T>, sizeOf: (value: T) => number): Promise<T> {
    const hit = this.get<T>(key);
    if (hit !== undefined) return hit;
    const pending = this.building.get(key) as Promise<T> | undefined;
    if (pending) return pending;
    const made = build().then((value) => {
      this.set(key, value, sizeOf(value));
      return value;
    });
    this.building.set(key, made);
    try {
      return await made;
    } finally {
      this.building.delete(key);
    }
  }

  /** A JSON answer serialised (and gzipped) once per key. */
  json(key: string, build: () => Promise<unknown>): Promise<CachedJson> {
    return this.getOrBuild(key, async () => serialiseJson(await build()), (v) => v.body.length + (v.gzipped?.length ?? 0) + v.etag.length);
  }
}

export async function serialiseJson(value: unknown): Promise<CachedJson> {
  const body = Buffer.from(JSON.stringify(value));
  const etag = `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return body.length >= GZIP_FROM_BYTES ? { etag, body, gzipped: await gzipAsync(body) } : { etag, body };
}

/** Whether If-None-Match names this validator (weak comparison, as RFC 9110 asks for GET). */
export function matchesIfNoneMatch(req: Request, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/**
 * Sends a cached JSON answer: 304 when the client holds it already, the gzipped bytes when it accepts gzip.
 * Only called after access control let the request through.
 */
export function sendCachedJson(req: Request, res: Response, cached: CachedJson): void {
  res.set('ETag', cached.etag);
  res.vary('Accept-Encoding');
  if (matchesIfNoneMatch(req, cached.etag)) {
    res.status(304).end();
    return;
  }
  res.type('application/json');
  if (cached.gzipped && req.acceptsEncodings('gzip', 'identity') === 'gzip') {
    // compression() leaves an answer that already has a Content-Encoding alone.
    res.set('Content-Encoding', 'gzip');
    res.set('Content-Length', String(cached.gzipped.length));
    res.end(cached.gzipped);
    return;
  }
  res.set('Content-Length', String(cached.body.length));
  res.end(cached.body);
}
