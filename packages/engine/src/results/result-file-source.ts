import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { writeFileAtomic } from '@access-monitor/storage';
import path from 'node:path';
import type { Readable } from 'node:stream';

/** Bytes `start` to `end`, both inclusive (as in HTTP/S3 `Range: bytes=start-end` and `fs.createReadStream`). */
export interface ByteRange {
  start: number;
  end?: number;
}

/**
 * Where result files live: a local folder (DuckDB engine) or the Athena results prefix in S3.
 * Keys are file names relative to that place: `<id>.csv`, `<id>.csv.metadata.json`, `<id>.csv.index.json`.
 */
export interface ResultFileSource {
  /** Size in bytes, or undefined when there is no such file. */
  size(key: string): Promise<number | undefined>;
  /** A stream of the file (or of a byte range of it); rejects or errors when it cannot be read. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Stores a small derived file (the row index) so later readers skip the scan. Optional: without it the index lives in memory only. */
  write?(key: string, body: string): Promise<void>;
}

/** Keys are plain file names; anything that could leave the folder is refused. */
const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

export function assertSafeKey(key: string): void {
  if (!SAFE_KEY.test(key) || key.includes('..')) throw new RangeError(`unsafe result file key ${JSON.stringify(key)}`);
}

/** Result files in one local folder. Writes are atomic (temp file + rename). */
export class LocalResultFileSource implements ResultFileSource {
  constructor(readonly dir: string) {}

  private file(key: string): string {
    assertSafeKey(key);
    return path.join(this.dir, key);
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const s = await stat(this.file(key));
      return s.isFile() ? s.size : undefined;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.file(key);
    const stream = createReadStream(file, range ? { start: range.start, ...(range.end !== undefined ? { end: range.end } : {}) } : {});
    // Surface "missing"/"unreadable" as a rejection instead of a later stream error.
    await new Promise<void>((resolve, reject) => {
      const onOpen = (): void => {
        stream.off('error', onError);
        resolve();
      };
      const onError = (e: Error): void => {
        stream.off('open', onOpen);
        reject(e);
      };
      stream.once('open', onOpen);
      stream.once('error', onError);
    });
    return stream;
  }

  async write(key: string, body: string): Promise<void> {
    await writeFileAtomic(this.file(key), body);
  }
}
