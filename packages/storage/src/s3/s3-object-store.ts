import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type GetObjectCommandOutput,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { InvalidKey, ObjectNotFound, PreconditionFailed } from '../errors';
import { assertValidKey, MAX_KEY_BYTES } from '../object-key';
import type { ByteRange, ListOptions, ObjectInfo, ObjectStore, PutOptions } from '../object-store';
import { ObjectChangedDuringRead, resumingBody } from './resuming-body';
import { isConditionalRequestConflict, isInvalidRange, isNoSuchKey, isPreconditionFailed } from './s3-service-errors';
import { decodeJson, decodeText } from '../decode-body';

export interface S3ObjectStoreOptions {
  /** A client to use as is (its retry and checksum settings included); otherwise one is built from the options below. */
  client?: S3Client;
  bucket: string;
  /** Objects live under `<prefix>/`; `''` for the whole bucket. Leading and trailing `/` are ignored. */
  prefix: string;
  /** The bucket's region; unset, the SDK's chain decides (`AWS_REGION`, the profile). */
  region?: string;
  /** An S3-compatible endpoint instead of AWS, e.g. `http://127.0.0.1:9000`. */
  endpoint?: string;
  /** Default: the SDK's provider chain (environment, profile, instance role, …). */
  credentials?: S3ClientConfig['credentials'];
  /** Address buckets as `<endpoint>/<bucket>` rather than `<bucket>.<endpoint>`; needed by most S3-compatible servers. */
  forcePathStyle?: boolean;
  /** Attempts per request, with jittered exponential backoff on 5xx, throttling and connection errors. Default 5. */
  maxAttempts?: number;
  /** The SDK's retry mode: `standard` (default) or `adaptive` (also rate-limits the client when throttled). */
  retryMode?: 'standard' | 'adaptive';
  /** A socket idle for this long fails the request (and a read then resumes). Default 60 s; 0 disables it. */
  requestTimeoutMs?: number;
  /** Consecutive broken connections, without a byte of progress between them, that a read survives. Default 5. */
  maxReadResumes?: number;
  /**
   * putStream sends bodies longer than this as a multipart upload of parts this long (S3 wants at least 5 MiB),
   * and holds at most two parts in memory. Default 8 MiB.
   */
  partBytes?: number;
}

/**
 * An ObjectStore under a prefix of an S3 bucket, using only the calls the documented IAM policy
 * allows: PutObject, GetObject (GET and HEAD) and ListBucket.
 *
 * - Create-only and compare-and-swap are S3 conditional writes (`If-None-Match: *`, `If-Match`), so
 *   races are settled by S3 itself, across any number of instances.
 * - A put returns the Last-Modified of what it wrote, which S3 does not send on PUT: it is read back
 *   with a HEAD pinned to the new etag.
 * - A read that loses its connection resumes with a ranged GET pinned to the etag it began with.
 * - A streamed put longer than one part is a multipart upload (PutObject permission covers it) whose
 *   completion carries the put's condition; an upload that fails is aborted when the policy allows it,
 *   and otherwise left to the bucket's AbortIncompleteMultipartUpload lifecycle rule.
 */
export function createS3ObjectStore(options: S3ObjectStoreOptions): ObjectStore {
  return new S3ObjectStore(options);
}

/** The client the store builds when it is not given one. */
export function createS3Client(options: Omit<S3ObjectStoreOptions, 'client' | 'bucket' | 'prefix' | 'maxReadResumes' | 'partBytes'>): S3Client {
  return new S3Client({
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    maxAttempts: options.maxAttempts ?? 5,
    retryMode: options.retryMode ?? 'standard',
    // Checksums only where S3 requires them: S3-compatible servers often reject the newer default
    // trailers, and ranged reads (which resuming uses) carry no whole-object checksum anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { requestTimeout: options.requestTimeoutMs ?? 60_000 },
  });
}

class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  /** `''` or `<prefix>/`. */
  private readonly keyPrefix: string;
  private readonly maxReadResumes: number;
  private readonly partBytes: number;

  constructor(options: S3ObjectStoreOptions) {
    this.client = options.client ?? createS3Client(options);
    this.bucket = options.bucket;
    const prefix = options.prefix.replace(/^\/+|\/+$/g, '');
    this.keyPrefix = prefix === '' ? '' : `${prefix}/`;
    this.maxReadResumes = options.maxReadResumes ?? 5;
    this.partBytes = options.partBytes ?? 8 * 1024 * 1024;
    if (!Number.isSafeInteger(this.partBytes) || this.partBytes < 1) throw new RangeError(`partBytes must be a positive integer, not ${this.partBytes}`);
  }

  async put(key: string, body: string | Uint8Array, opts: PutOptions = {}): Promise<ObjectInfo> {
    const s3Key = this.s3Key(key);
    assertPutOptions(opts);
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;

    let etag: string | undefined;
    try {
      ({ ETag: etag } = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: s3Key,
          Body: bytes,
          ContentLength: bytes.byteLength,
          // S3 refuses the body if it arrives different from what was sent.
          ContentMD5: createHash('md5').update(bytes).digest('base64'),
          ContentType: opts.contentType,
          IfNoneMatch: opts.ifNoneMatch,
          IfMatch: opts.ifMatch,
        }),
      ));
    } catch (error) {
      throw await this.conditionFailure(key, s3Key, opts, error);
    }
    return this.written(key, s3Key, etag, bytes.byteLength);
  }

  async putStream(key: string, body: AsyncIterable<Uint8Array | string>, opts: PutOptions = {}): Promise<ObjectInfo> {
    const s3Key = this.s3Key(key);
    assertPutOptions(opts);
    const parts = partsOf(body, this.partBytes)[Symbol.asyncIterator]();
    const first = await parts.next();
    const second = first.done ? first : await parts.next();
    // One part or less: a plain PutObject.
    if (second.done) return this.put(key, first.done ? new Uint8Array(0) : first.value, opts);

    const { UploadId: uploadId } = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: s3Key, ContentType: opts.contentType }));
    if (uploadId === undefined) throw new Error(`S3 returned no UploadId for the put of ${JSON.stringify(key)}`);
    const uploaded: Array<{ PartNumber: number; ETag: string }> = [];
    let size = 0;
    const upload = async (bytes: Uint8Array): Promise<void> => {
      const PartNumber = uploaded.length + 1;
      const { ETag } = await this.client.send(
        new UploadPartCommand({ Bucket: this.bucket, Key: s3Key, UploadId: uploadId, PartNumber, Body: bytes, ContentLength: bytes.byteLength, ContentMD5: createHash('md5').update(bytes).digest('base64') }),
      );
      if (ETag === undefined) throw new Error(`S3 returned no ETag for part ${PartNumber} of ${JSON.stringify(key)}`);
      uploaded.push({ PartNumber, ETag });
      size += bytes.byteLength;
    };
    let etag: string | undefined;
    try {
      await upload(first.value);
      await upload(second.value);
      for (let next = await parts.next(); !next.done; next = await parts.next()) await upload(next.value);
      try {
        ({ ETag: etag } = await this.client.send(
          new CompleteMultipartUploadCommand({
            Bucket: this.bucket,
            Key: s3Key,
            UploadId: uploadId,
            MultipartUpload: { Parts: uploaded },
            IfNoneMatch: opts.ifNoneMatch,
            IfMatch: opts.ifMatch,
          }),
        ));
      } catch (error) {
        throw await this.conditionFailure(key, s3Key, opts, error);
      }
    } catch (error) {
      // The documented policy grants s3:AbortMultipartUpload on report_results/*; when the abort itself fails (a lost
      // connection), the bucket's AbortIncompleteMultipartUpload lifecycle rule removes the parts.
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: s3Key, UploadId: uploadId })).catch(() => undefined);
      throw error;
    }
    return this.written(key, s3Key, etag, size);
  }

  /** What a failed put throws: PreconditionFailed when S3 refused its condition, else the error itself. */
  private async conditionFailure(key: string, s3Key: string, opts: PutOptions, error: unknown): Promise<unknown> {
    const conditional = opts.ifNoneMatch !== undefined || opts.ifMatch !== undefined;
    // S3 answers an If-Match put to a missing key with 404 NoSuchKey.
    if (conditional && (isPreconditionFailed(error) || isConditionalRequestConflict(error) || (opts.ifMatch !== undefined && isNoSuchKey(error)))) {
      return new PreconditionFailed(key, (await this.headS3(key, s3Key))?.etag, opts.ifNoneMatch !== undefined ? 'ifNoneMatch' : 'ifMatch');
    }
    return error;
  }

  /** The info of what a put wrote, read back with a HEAD pinned to its etag. */
  private async written(key: string, s3Key: string, etag: string | undefined, size: number): Promise<ObjectInfo> {
    if (etag === undefined) throw new Error(`S3 returned no ETag for the put of ${JSON.stringify(key)}`);
    // The write has happened: a failed HEAD must not report it as failed (a retried create-only put would then lose to itself).
    const written = await this.headS3(key, s3Key, etag).catch(() => null);
    // Replaced again before the HEAD (or the HEAD failed): S3 no longer tells this version's time, so the local clock stands in.
    return written ?? { key, size, etag, lastModified: isoSeconds(new Date()) };
  }

  async get(key: string): Promise<{ body: Uint8Array; info: ObjectInfo }> {
    const { stream, info } = await this.open(key, this.s3Key(key));
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { body: Buffer.concat(chunks), info };
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
    return this.headS3(key, this.s3Key(key));
  }

  async read(key: string, range?: ByteRange): Promise<NodeJS.ReadableStream> {
    const s3Key = this.s3Key(key);
    if (range) assertRange(range);
    try {
      return (await this.open(key, s3Key, range)).stream;
    } catch (error) {
      // S3 answers 416 to a range starting at or past the end, and only for an object that exists.
      if (range && isInvalidRange(error)) return Readable.from([]);
      throw error;
    }
  }

  async *list(prefix: string, opts: ListOptions = {}): AsyncIterable<ObjectInfo> {
    let left = opts.limit ?? Infinity;
    let continuationToken: string | undefined;
    while (left > 0) {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.keyPrefix + prefix,
          StartAfter: continuationToken === undefined && opts.startAfter !== undefined ? this.keyPrefix + opts.startAfter : undefined,
          ContinuationToken: continuationToken,
          MaxKeys: Math.min(1000, left),
        }),
      );
      for (const object of page.Contents ?? []) {
        if (left <= 0) return;
        if (object.Key === undefined || object.ETag === undefined || object.LastModified === undefined) continue;
        left -= 1;
        yield { key: object.Key.slice(this.keyPrefix.length), size: object.Size ?? 0, etag: object.ETag, lastModified: isoSeconds(object.LastModified) };
      }
      if (!page.IsTruncated || page.NextContinuationToken === undefined) return;
      continuationToken = page.NextContinuationToken;
    }
  }

  /** The S3 key of `key`; InvalidKey when it is not a valid key or, with the prefix, too long for S3. */
  private s3Key(key: string): string {
    assertValidKey(key);
    const s3Key = this.keyPrefix + key;
    const bytes = Buffer.byteLength(s3Key, 'utf8');
    if (bytes > MAX_KEY_BYTES) throw new InvalidKey(key, `under the store's prefix "${this.keyPrefix}" it is ${bytes} bytes long, over S3's ${MAX_KEY_BYTES}`);
    return s3Key;
  }

  /** HEAD, optionally pinned to an etag; null when there is no object (or not that version). */
  private async headS3(key: string, s3Key: string, ifMatch?: string): Promise<ObjectInfo | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: s3Key, IfMatch: ifMatch }));
      return infoOf(key, head);
    } catch (error) {
      if (isNoSuchKey(error) || (ifMatch !== undefined && isPreconditionFailed(error))) return null;
      throw error;
    }
  }

  /** Opens the object (or `range` of it) as a stream that resumes after broken connections. */
  private async open(key: string, s3Key: string, range?: ByteRange): Promise<{ stream: Readable; info: ObjectInfo }> {
    let first: GetObjectCommandOutput;
    try {
      first = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: s3Key, Range: range && byteRange(range.start, range.end) }));
    } catch (error) {
      if (isNoSuchKey(error)) throw new ObjectNotFound(key);
      throw error;
    }
    const info = infoOf(key, first);
    const span = spanOf(first, info.size);
    if (!first.Body || span.end < span.start || info.size === 0) {
      (first.Body as Readable | undefined)?.destroy();
      return { stream: Readable.from([]), info };
    }
    const stream = resumingBody(first.Body as Readable, (from, end) => this.remainder(key, s3Key, info.etag, from, end), { ...span, maxResumes: this.maxReadResumes });
    return { stream, info };
  }

  /** Bytes from..end of the version with `etag`, or ObjectChangedDuringRead once it has been replaced. */
  private async remainder(key: string, s3Key: string, etag: string, from: number, end: number): Promise<AsyncIterable<Uint8Array>> {
    try {
      const rest = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: s3Key, Range: byteRange(from, end), IfMatch: etag }));
      return (rest.Body as Readable | undefined) ?? Readable.from([]);
    } catch (error) {
      if (isPreconditionFailed(error) || isNoSuchKey(error)) throw new ObjectChangedDuringRead(key, etag, from);
      throw error;
    }
  }
}

interface ObjectHeaders {
  ETag?: string | undefined;
  LastModified?: Date | undefined;
  ContentLength?: number | undefined;
  ContentRange?: string | undefined;
}

function infoOf(key: string, headers: ObjectHeaders): ObjectInfo {
  if (headers.ETag === undefined || headers.LastModified === undefined) throw new Error(`S3 returned no ETag or Last-Modified for ${JSON.stringify(key)}`);
  // A ranged response's Content-Length is that of the range; the whole size ends its Content-Range.
  const total = /\/(\d+)$/.exec(headers.ContentRange ?? '')?.[1];
  return { key, size: total !== undefined ? Number(total) : (headers.ContentLength ?? 0), etag: headers.ETag, lastModified: isoSeconds(headers.LastModified) };
}

/** The inclusive byte span a GET response carries. */
function spanOf(response: ObjectHeaders, size: number): { start: number; end: number } {
  const range = /^bytes (\d+)-(\d+)\//.exec(response.ContentRange ?? '');
  if (range) return { start: Number(range[1]), end: Math.min(Number(range[2]), size - 1) };
  return { start: 0, end: (response.ContentLength ?? size) - 1 };
}

function byteRange(start: number, end: number | undefined): string {
  return `bytes=${start}-${end ?? ''}`;
}

/** S3 keeps Last-Modified to the second (HTTP dates), while listings print milliseconds: drop them so both agree. */
function isoSeconds(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();
}

function assertPutOptions(opts: PutOptions): void {
  if (opts.ifNoneMatch !== undefined && opts.ifNoneMatch !== '*') throw new TypeError(`ifNoneMatch must be '*', not ${JSON.stringify(opts.ifNoneMatch)}`);
  if (opts.ifNoneMatch !== undefined && opts.ifMatch !== undefined) throw new TypeError('ifNoneMatch and ifMatch cannot be combined');
}

/** The body cut into parts of exactly `partBytes` (the last one shorter, never empty), whatever the sizes of its chunks. */
async function* partsOf(body: AsyncIterable<Uint8Array | string>, partBytes: number): AsyncGenerator<Uint8Array> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of body) {
    let bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (pendingBytes + bytes.byteLength >= partBytes) {
      const take = partBytes - pendingBytes;
      yield Buffer.concat([...pending, bytes.subarray(0, take)]);
      pending = [];
      pendingBytes = 0;
      bytes = bytes.subarray(take);
    }
    if (bytes.byteLength > 0) {
      pending.push(bytes);
      pendingBytes += bytes.byteLength;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}

function assertRange(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`range start must be a non-negative integer, not ${start}`);
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) throw new RangeError(`range end must be an integer at or after start ${start}, not ${end}`);
}
