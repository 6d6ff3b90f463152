import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { parseS3Uri } from '@access-monitor/storage';

/** Teleport's layout under the table location: `<YYYY-MM-DD>/<chunk>.parquet`. */
const PARTITION_FILE = /^(\d{4}-\d{2}-\d{2})\/([A-Za-z0-9][A-Za-z0-9._-]*\.parquet)$/;

/**
 * A local copy of the Parquet under a table's S3 location, in the same layout, for DuckDB to read.
 * Each sync lists the location and fetches only objects whose etag changed; objects gone from S3
 * go from the copy too. Syncs of one cache run one at a time.
 */
export class ParquetCache {
  private readonly etags = new Map<string, string>();
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly s3: S3Client,
    private readonly location: string,
    readonly dir: string,
  ) {}

  sync(): Promise<void> {
    const next = this.running.catch(() => undefined).then(() => this.syncOnce());
    this.running = next;
    return next;
  }

  private async syncOnce(): Promise<void> {
    const { bucket, prefix } = parseS3Uri(this.location);
    const base = prefix === '' ? '' : `${prefix}/`;
    await mkdir(this.dir, { recursive: true });
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: base, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const relative = object.Key?.slice(base.length) ?? '';
        if (!PARTITION_FILE.test(relative)) continue;
        seen.add(relative);
        if (object.ETag !== undefined && this.etags.get(relative) === object.ETag) continue;
        await this.fetch(bucket, object.Key!, relative);
        if (object.ETag !== undefined) this.etags.set(relative, object.ETag);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    for (const relative of [...this.etags.keys()]) {
      if (seen.has(relative)) continue;
      this.etags.delete(relative);
      await rm(path.join(this.dir, relative), { force: true });
    }
    await this.removeStrays(seen);
  }

  private async fetch(bucket: string, key: string, relative: string): Promise<void> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = await out.Body!.transformToByteArray();
    const file = path.join(this.dir, relative);
    await mkdir(path.dirname(file), { recursive: true });
    // The DuckDB engine skips dot-files: a half-written copy is never read.
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(tmp, body);
    await rename(tmp, file);
  }

  /** Files in the copy that S3 does not hold (left from an earlier peer run in the same folder). */
  private async removeStrays(seen: Set<string>): Promise<void> {
    for (const date of await readdir(this.dir).catch(() => [] as string[])) {
      for (const name of await readdir(path.join(this.dir, date)).catch(() => [] as string[])) {
        if (!name.startsWith('.') && !seen.has(`${date}/${name}`)) await rm(path.join(this.dir, date, name), { force: true });
      }
    }
  }
}
