import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { parseS3Uri } from '@access-monitor/storage';

/** Teleport's layout under the table location: `<YYYY-MM-DD>/<chunk>.parquet`. */
const PARTITION_FILE = /^(\d{4}-\d{2}-\d{2})\/([A-Za-z0-9][A-Za-z0-9._-]*\.parquet)$/;

/**
 * A local copy of the Parquet under a table's S3 location, for DuckDB to read: `<date>/<chunk>`
 * in S3 becomes `event_date=<date>/<chunk>` here (Hive's layout, which DuckDB reads as the
 * `event_date` partition column). Each sync lists the location and fetches only objects whose etag
 * changed; objects gone from S3 go from the copy too. Syncs of one cache run one at a time.
 */
export class ParquetCache {
  private readonly etags = new Map<string, string>();
  private readonly sizes = new Map<string, number>();
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly s3: S3Client,
    private readonly location: string,
    readonly dir: string,
  ) {}

  /** The copied files: their partition date and size in bytes (what Athena would read of them). */
  files(): Array<{ date: string; size: number }> {
    return [...this.sizes].map(([relative, size]) => ({ date: relative.slice(0, 10), size }));
  }

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
        this.sizes.set(relative, object.Size ?? 0);
        if (object.ETag !== undefined && this.etags.get(relative) === object.ETag) continue;
        await this.fetch(bucket, object.Key!, relative);
        if (object.ETag !== undefined) this.etags.set(relative, object.ETag);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    for (const relative of [...this.etags.keys()]) {
      if (seen.has(relative)) continue;
      this.etags.delete(relative);
      this.sizes.delete(relative);
      await rm(this.localPath(relative), { force: true });
    }
    await this.removeStrays(seen);
  }

  private async fetch(bucket: string, key: string, relative: string): Promise<void> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = await out.Body!.transformToByteArray();
    const file = this.localPath(relative);
    await mkdir(path.dirname(file), { recursive: true });
    // The DuckDB engine skips dot-files: a half-written copy is never read.
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(tmp, body);
    await rename(tmp, file);
  }

  private localPath(relative: string): string {
    return path.join(this.dir, `event_date=${relative}`);
  }

  /** Files in the copy that S3 does not hold (left from an earlier peer run in the same folder). */
  private async removeStrays(seen: Set<string>): Promise<void> {
    for (const folder of await readdir(this.dir).catch(() => [] as string[])) {
      for (const name of await readdir(path.join(this.dir, folder)).catch(() => [] as string[])) {
        if (!name.startsWith('.') && !seen.has(`${folder.replace(/^event_date=/, '')}/${name}`)) await rm(path.join(this.dir, folder, name), { force: true });
      }
    }
  }
}
