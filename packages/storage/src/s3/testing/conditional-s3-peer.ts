import { createServer, request as httpRequest, Agent, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeadObjectCommand, ListObjectsCommand, S3Client, type _Object } from '@aws-sdk/client-s3';
import { compareKeys } from '../../object-key';

/**
 * A loopback HTTP layer in front of s3rver that gives it the S3 semantics the object store relies
 * on and s3rver (3.7, 2021) lacks. It is a protocol peer, not a mock: the SDK talks real S3 HTTP
 * to it, and everything else is forwarded to s3rver unchanged.
 *
 * | S3 behaviour (AWS documents it)                        | s3rver alone                      | this layer                                         |
 * |--------------------------------------------------------|-----------------------------------|----------------------------------------------------|
 * | PUT `If-None-Match: *` → 412 when the key exists        | ignores the header, overwrites     | HEADs the key under a per-key lock, answers 412     |
 * | PUT `If-Match: <etag>` → 412 on another etag, 404 when missing | ignores the header          | same check, answers 412 / 404 NoSuchKey             |
 * | CompleteMultipartUpload with `If-None-Match` / `If-Match` | ignores the headers               | the same checks as for a PUT                        |
 * | GET/HEAD `If-Match` → 412 on another etag               | ignores the header                 | compares the etag of the response, answers 412      |
 * | a PUT replaces the object atomically                   | truncates and rewrites the file in place, so readers and lists see partial bodies | a PUT holds its key exclusively (and lists out); GETs are buffered under a shared lock |
 * | ListObjectsV2 in UTF-8 byte order of keys               | file-tree order (`p/a/b` before `p/a-b`) | lists every page from s3rver and sorts; StartAfter, MaxKeys and continuation done here |
 * | ListObjectsV2 pages past 1000 keys                      | 500 InternalError: its continuation tokens use DES, which OpenSSL 3 refuses | pages s3rver with ListObjects (v1) markers, issues its own tokens |
 *
 * Limits: bodies are buffered (fine for tests); the listing is complete only when s3rver's own
 * pagination loses nothing, which holds for up to 1000 keys under a prefix, or for folders whose
 * tree order is their key order.
 */
export interface ConditionalS3Peer {
  endpoint: string;
  faults: FaultInjector;
  /** Starts recording the requests that reach the layer (without Authorization or session tokens). */
  record(): RequestRecorder;
  stop(): Promise<void>;
}

export interface PeerRequest {
  method: string;
  bucket: string | undefined;
  /** Decoded object key; undefined for bucket and service requests. */
  key: string | undefined;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export interface Fault {
  match: (request: PeerRequest) => boolean;
  /** Answer with this S3 error instead of forwarding (e.g. 503 SlowDown). */
  respond?: { status: number; code: string; message?: string };
  /** Forward, then send only this many bytes of the response body and cut the connection. */
  cutAfterBytes?: number;
  /** Runs before the request is handled (e.g. to replace the object between two requests of a read). */
  before?: () => Promise<void>;
  /** How many matching requests it applies to. Default 1. */
  times?: number;
}

export interface FaultInjector {
  inject(fault: Fault): void;
  /** Faults not used up yet. */
  pending(): number;
}

export interface RecordedRequest {
  method: string;
  key: string | undefined;
  headers: Record<string, string>;
}

export interface RequestRecorder {
  readonly requests: RecordedRequest[];
  stop(): void;
}

const SECRET_HEADERS = new Set(['authorization', 'x-amz-security-token']);
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'expect', 'upgrade', 'proxy-connection', 'te', 'trailer']);

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export async function startConditionalS3Peer({ upstream }: { upstream: string }): Promise<ConditionalS3Peer> {
  const upstreamUrl = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  // The layer's own reads of s3rver (HEAD for preconditions, full listings); s3rver accepts any signature of its account.
  const s3 = new S3Client({
    endpoint: upstream,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const keyLocks = new LockTable();
  // PUTs share it, lists take it alone: a listing never sees a PUT half done.
  const putsVersusLists = new ReadWriteLock();
  const faults: (Fault & { left: number })[] = [];
  const recorders = new Set<RecordedRequest[]>();

  const forward = (req: IncomingMessage, body: Buffer): Promise<Upstream> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
      headers['content-length'] = String(body.byteLength);
      const out = httpRequest({ host: upstreamUrl.hostname, port: upstreamUrl.port, method: req.method, path: req.url, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      out.on('error', reject);
      out.end(body);
    });

  const currentEtag = async (bucket: string, key: string): Promise<string | undefined> => {
    try {
      return (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ETag;
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
      throw error;
    }
  };

  const putObject = async (req: IncomingMessage, body: Buffer, bucket: string, key: string): Promise<Upstream> => {
    const ifNoneMatch = req.headers['if-none-match'];
    const ifMatch = req.headers['if-match'];
    if (ifNoneMatch !== undefined && ifNoneMatch !== '*') return s3Error(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', 'If-None-Match');
    if (ifNoneMatch !== undefined || ifMatch !== undefined) {
      const etag = await currentEtag(bucket, key);
      if (ifNoneMatch === '*' && etag !== undefined) return s3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 'If-None-Match');
      if (ifMatch !== undefined && etag === undefined) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
      if (ifMatch !== undefined && !etagMatches(ifMatch, etag)) return s3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 'If-Match');
    }
    return forward(req, body);
  };

  const getObject = async (req: IncomingMessage, body: Buffer): Promise<Upstream> => {
    const response = await forward(req, body);
    const ifMatch = req.headers['if-match'];
    if (ifMatch !== undefined && response.status < 300 && !etagMatches(ifMatch, headerValue(response.headers.etag))) {
      return s3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 'If-Match');
    }
    return response;
  };

  const listObjects = async (bucket: string, query: URLSearchParams): Promise<Upstream> => {
    const prefix = query.get('prefix') ?? '';
    const token = query.get('continuation-token');
    const startAfter = token !== null ? Buffer.from(token, 'base64url').toString('utf8') : (query.get('start-after') ?? '');
    const maxKeys = Math.min(1000, Number(query.get('max-keys') ?? 1000));
    const all: _Object[] = [];
    // ListObjects (v1) paged by Marker: s3rver's v2 continuation tokens use DES, which OpenSSL 3 refuses (500 InternalError).
    for (let marker: string | undefined; ; ) {
      const page = await s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, Marker: marker }));
      const contents = page.Contents ?? [];
      all.push(...contents);
      marker = contents.at(-1)?.Key;
      if (!page.IsTruncated || marker === undefined) break;
    }
    const after = all.filter((o) => o.Key !== undefined && compareKeys(o.Key, startAfter) > 0).sort((a, b) => compareKeys(a.Key as string, b.Key as string));
    const page = after.slice(0, maxKeys);
    const truncated = after.length > page.length;
    const last = page.at(-1)?.Key;
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
      element('Name', bucket),
      element('Prefix', prefix),
      token !== null ? element('ContinuationToken', token) : query.has('start-after') ? element('StartAfter', startAfter) : '',
      element('KeyCount', String(page.length)),
      element('MaxKeys', String(maxKeys)),
      element('IsTruncated', String(truncated)),
      truncated && last !== undefined ? element('NextContinuationToken', Buffer.from(last, 'utf8').toString('base64url')) : '',
      ...page.map(
        (o) =>
          `<Contents>${element('Key', o.Key ?? '')}${element('LastModified', (o.LastModified ?? new Date(0)).toISOString())}${element('ETag', o.ETag ?? '')}${element('Size', String(o.Size ?? 0))}${element('StorageClass', 'STANDARD')}</Contents>`,
      ),
      '</ListBucketResult>',
    ].join('');
    return { status: 200, headers: { 'content-type': 'application/xml' }, body: Buffer.from(xml, 'utf8') };
  };

  const route = async (req: IncomingMessage, body: Buffer, request: PeerRequest): Promise<Upstream> => {
    const { method, bucket, key, query } = request;
    const objectRequest = bucket !== undefined && key !== undefined && !['uploads', 'uploadId', 'partNumber', 'tagging', 'acl'].some((q) => query.has(q));
    if (objectRequest && method === 'PUT' && req.headers['x-amz-copy-source'] === undefined) {
      return putsVersusLists.with(false, () => keyLocks.with(`${bucket}/${key}`, true, () => putObject(req, body, bucket, key)));
    }
    // CompleteMultipartUpload carries the conditions of a streamed put.
    if (bucket !== undefined && key !== undefined && method === 'POST' && query.has('uploadId')) {
      return putsVersusLists.with(false, () => keyLocks.with(`${bucket}/${key}`, true, () => putObject(req, body, bucket, key)));
    }
    if (objectRequest && (method === 'GET' || method === 'HEAD')) {
      return keyLocks.with(`${bucket}/${key}`, false, () => getObject(req, body));
    }
    if (bucket !== undefined && key === undefined && method === 'GET' && query.get('list-type') === '2' && !query.has('delimiter')) {
      return putsVersusLists.with(true, () => listObjects(bucket, query));
    }
    return forward(req, body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const request = parseRequest(req);
    for (const requests of recorders) requests.push({ method: request.method, key: request.key, headers: publicHeaders(req.headers) });

    const fault = faults.find((f) => f.left > 0 && f.match(request));
    if (fault) fault.left -= 1;
    await fault?.before?.();
    const response = fault?.respond ? s3Error(fault.respond.status, fault.respond.code, fault.respond.message ?? fault.respond.code) : await route(req, body, request);

    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(response.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    if (request.method !== 'HEAD') headers['content-length'] = String(response.body.byteLength);
    res.writeHead(response.status, headers);
    if (fault?.cutAfterBytes !== undefined) {
      res.write(response.body.subarray(0, fault.cutAfterBytes), () => res.socket?.destroy());
      return;
    }
    res.end(request.method === 'HEAD' ? undefined : response.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.socket?.destroy();
        return;
      }
      const failure = s3Error(500, 'InternalError', `conditional S3 peer: ${(error as Error).message}`);
      res.writeHead(failure.status, { 'content-type': 'application/xml', 'content-length': String(failure.body.byteLength) }).end(failure.body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    faults: {
      inject: (fault) => faults.push({ ...fault, left: fault.times ?? 1 }),
      pending: () => faults.reduce((n, f) => n + f.left, 0),
    },
    record() {
      const requests: RecordedRequest[] = [];
      recorders.add(requests);
      return { requests, stop: () => recorders.delete(requests) };
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
      s3.destroy();
    },
  };
}

function parseRequest(req: IncomingMessage): PeerRequest {
  const url = new URL(req.url ?? '/', 'http://peer');
  // Path-style: /<bucket>/<key…>, each part percent-encoded by the client.
  const [, bucket, ...keyParts] = url.pathname.split('/');
  const key = keyParts.length > 0 && keyParts.join('/') !== '' ? decodeURIComponent(keyParts.join('/')) : undefined;
  return { method: req.method ?? 'GET', bucket: bucket ? decodeURIComponent(bucket) : undefined, key, query: url.searchParams, headers: req.headers };
}

function publicHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !SECRET_HEADERS.has(name)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** RFC 9110 If-Match: `*` matches any current object, otherwise one of the listed (strong) etags. */
function etagMatches(condition: string, etag: string | undefined): boolean {
  if (etag === undefined) return false;
  if (condition.trim() === '*') return true;
  const bare = (tag: string): string => tag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
  return condition.split(',').some((tag) => bare(tag) === bare(etag));
}

/** An S3 error response, as S3 writes it. */
function s3Error(status: number, code: string, message: string, condition?: string): Upstream {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${element('Code', code)}${element('Message', message)}${condition !== undefined ? element('Condition', condition) : ''}${element('RequestId', 'conditional-s3-peer')}</Error>`;
  return { status, headers: { 'content-type': 'application/xml' }, body: Buffer.from(xml, 'utf8') };
}

function element(name: string, text: string): string {
  const escaped = text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
  return `<${name}>${escaped}</${name}>`;
}

/** A fair (first come, first served) lock with shared and exclusive holders. */
class ReadWriteLock {
  private shared = 0;
  private exclusive = false;
  private readonly waiting: { exclusive: boolean; grant: () => void }[] = [];

  async with<T>(exclusive: boolean, work: () => Promise<T>): Promise<T> {
    await this.acquire(exclusive);
    try {
      return await work();
    } finally {
      this.release(exclusive);
    }
  }

  get idle(): boolean {
    return this.shared === 0 && !this.exclusive && this.waiting.length === 0;
  }

  private acquire(exclusive: boolean): Promise<void> {
    if (this.waiting.length === 0 && this.compatible(exclusive)) {
      this.take(exclusive);
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiting.push({ exclusive, grant }));
  }

  private release(exclusive: boolean): void {
    if (exclusive) this.exclusive = false;
    else this.shared -= 1;
    while (this.waiting.length > 0 && this.compatible((this.waiting[0] as { exclusive: boolean }).exclusive)) {
      const next = this.waiting.shift() as { exclusive: boolean; grant: () => void };
      this.take(next.exclusive);
      next.grant();
    }
  }

  private compatible(exclusive: boolean): boolean {
    return exclusive ? this.shared === 0 && !this.exclusive : !this.exclusive;
  }

  private take(exclusive: boolean): void {
    if (exclusive) this.exclusive = true;
    else this.shared += 1;
  }
}

/** One ReadWriteLock per key, dropped when nobody holds or waits for it. */
class LockTable {
  private readonly locks = new Map<string, ReadWriteLock>();

  async with<T>(name: string, exclusive: boolean, work: () => Promise<T>): Promise<T> {
    let lock = this.locks.get(name);
    if (!lock) {
      lock = new ReadWriteLock();
      this.locks.set(name, lock);
    }
    try {
      return await lock.with(exclusive, work);
    } finally {
      if (lock.idle) this.locks.delete(name);
    }
  }
}
