import type { Readable } from 'node:stream';
import type { ObjectStore } from '@access-monitor/storage';
import { assertSafeKey, type ByteRange, type ResultFileSource } from '../results/result-file-source';

/**
 * Result files in an object store: for Athena, the S3 prefix of an execution's OutputLocation.
 * Reads are ranged GETs that the S3 store resumes by range after a broken connection, pinned to the
 * version they began with, so a page or a download never repeats or skips a row. The row index and
 * result metadata are stored beside the CSV (PutObject on the results prefix, which the documented
 * IAM policy grants), so every server instance shares them.
 */
export class ObjectStoreResultFileSource implements ResultFileSource {
  constructor(private readonly store: ObjectStore) {}

  async size(key: string): Promise<number | undefined> {
    assertSafeKey(key);
    return (await this.store.head(key))?.size;
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    assertSafeKey(key);
    // The S3 store's streams are node Readables (Readable.from / the resuming body).
    return (await this.store.read(key, range)) as Readable;
  }

  async write(key: string, body: string): Promise<void> {
    assertSafeKey(key);
    await this.store.put(key, body, { contentType: 'application/json' });
  }
}
