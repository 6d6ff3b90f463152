import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/** S3-style quoted strong etag: the SHA-256 of the body. */
export function etagOfBytes(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('hex')}"`;
}

/** Compares etags as S3 does, ignoring the quotes (and a weak `W/` marker) callers may or may not send. */
export function sameEtag(a: string, b: string): boolean {
  const bare = (e: string): string => e.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  return bare(a) === bare(b);
}

/**
 * What the store writes beside each object (`.am-meta.<name>`) so that head and list need not hash
 * bodies. It names the inode, size and mtime of the file it describes: a crash between the two
 * renames of a put, or a file dropped into the folder by hand, leaves no sidecar or one that
 * does not match, and the etag is then computed from the body.
 */
export interface Sidecar {
  etag: string;
  size: number;
  ino: string;
  mtimeNs: string;
  contentType?: string;
}

export function sidecarFor(etag: string, file: BigIntStats, contentType: string | undefined): Sidecar {
  return { etag, size: Number(file.size), ino: String(file.ino), mtimeNs: String(file.mtimeNs), ...(contentType ? { contentType } : {}) };
}

export function describes(sidecar: Sidecar, file: BigIntStats): boolean {
  return sidecar.ino === String(file.ino) && sidecar.size === Number(file.size) && sidecar.mtimeNs === String(file.mtimeNs);
}

export async function readSidecar(metaPath: string): Promise<Sidecar | null> {
  try {
    const parsed = JSON.parse(await readFile(metaPath, 'utf8')) as Partial<Sidecar>;
    return typeof parsed.etag === 'string' && typeof parsed.ino === 'string' && typeof parsed.mtimeNs === 'string' && typeof parsed.size === 'number' ? (parsed as Sidecar) : null;
  } catch {
    // Missing or unreadable: the caller hashes the body.
    return null;
  }
}

export async function etagOfHandle(handle: FileHandle): Promise<string> {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1 << 16);
  for (let position = 0; ; ) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return `"${hash.digest('hex')}"`;
}

/** Etags computed from bodies, so a file without a sidecar is hashed once per process, not on every list. */
export class EtagCache {
  private readonly entries = new Map<string, { ino: bigint; size: bigint; mtimeNs: bigint; etag: string }>();
  constructor(private readonly capacity = 4096) {}

  get(file: string, stats: BigIntStats): string | undefined {
    const e = this.entries.get(file);
    return e && e.ino === stats.ino && e.size === stats.size && e.mtimeNs === stats.mtimeNs ? e.etag : undefined;
  }

  set(file: string, stats: BigIntStats, etag: string): string {
    this.entries.delete(file);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(file, { ino: stats.ino, size: stats.size, mtimeNs: stats.mtimeNs, etag });
    return etag;
  }
}
