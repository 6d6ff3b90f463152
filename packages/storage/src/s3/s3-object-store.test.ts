import { createHash, randomBytes } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidKey, ObjectNotFound, PreconditionFailed } from '../errors';
import { describeObjectStoreContract, readAll } from '../object-store.contract';
import type { ObjectStore } from '../object-store';
import { ObjectChangedDuringRead } from './resuming-body';
import { createS3ObjectStore } from './s3-object-store';
import type { PeerRequest, RecordedRequest } from './testing/conditional-s3-peer';
import { S3_PEER_CREDENTIALS, S3_PEER_REGION, startS3Peer, type S3Peer } from './testing/s3-peer';

let peer: S3Peer;
beforeAll(async () => {
  peer = await startS3Peer();
});
afterAll(async () => {
  await peer?.stop();
});

// A bucket per test rather than a prefix: the contract stores 1024-byte keys, which any prefix would push over S3's limit.
describeObjectStoreContract('s3 (s3rver behind the conditional layer)', async () => {
  const bucket = await peer.createBucket();
  // Small parts, so streamed puts in the contract are multipart uploads (S3 itself wants at least 5 MiB per part).
  return { store: createS3ObjectStore({ client: peer.client, bucket, prefix: '', partBytes: 64 * 1024 }), cleanup: async () => undefined };
});

const objectRequest =
  (method: string, key: string) =>
  (request: PeerRequest): boolean =>
    request.method === method && request.key === key;

const puts = (requests: RecordedRequest[], key: string): RecordedRequest[] => requests.filter((r) => r.method === 'PUT' && r.key === key);
const gets = (requests: RecordedRequest[], key: string): RecordedRequest[] => requests.filter((r) => r.method === 'GET' && r.key === key);

describe('s3 object store', () => {
  let bucket: string;
  let store: ObjectStore;
  beforeEach(async () => {
    bucket = await peer.createBucket();
    store = createS3ObjectStore({ client: peer.client, bucket, prefix: 'report_results' });
    expect(peer.faults.pending()).toBe(0);
  });

  describe('conditional writes on the wire', () => {
    it('sends If-None-Match: * for a create-only put and If-Match with the quoted etag for an update', async () => {
      const recorder = peer.record();
      try {
        const created = await store.put('queries/q/rev-1.json', '{"sql":"SELECT 1"}', { ifNoneMatch: '*' });
        await store.put('report-states/r/7d.json', '{"state":"RUNNING"}');
        const base = await store.head('report-states/r/7d.json');
        await store.put('report-states/r/7d.json', '{"state":"READY"}', { ifMatch: base?.etag as string });
        await store.put('plain.json', '{}');

        const [create] = puts(recorder.requests, 'report_results/queries/q/rev-1.json');
        expect(create?.headers['if-none-match']).toBe('*');
        expect(create?.headers['if-match']).toBeUndefined();
        const updates = puts(recorder.requests, 'report_results/report-states/r/7d.json');
        expect(updates.map((r) => r.headers['if-match'])).toEqual([undefined, base?.etag]);
        expect(base?.etag).toMatch(/^"[0-9a-f]{32}"$/);
        const [plain] = puts(recorder.requests, 'report_results/plain.json');
        expect(plain?.headers['if-none-match']).toBeUndefined();
        expect(plain?.headers['if-match']).toBeUndefined();
        expect(created.etag).toMatch(/^"[^"]+"$/);
      } finally {
        recorder.stop();
      }
    });

    it('sends a Content-MD5 of the body, so S3 refuses a body damaged on the way', async () => {
      const recorder = peer.record();
      try {
        await store.put('runs/r1/q.csv', 'a,b\n1,2\n');
        const [put] = puts(recorder.requests, 'report_results/runs/r1/q.csv');
        expect(put?.headers['content-md5']).toBe(createHash('md5').update('a,b\n1,2\n').digest('base64'));
      } finally {
        recorder.stop();
      }
    });

    it('reports a 409 ConditionalRequestConflict as PreconditionFailed, with the etag now there', async () => {
      const current = await store.put('actions/firings/r/slot-1.json', '{"by":"a"}');
      peer.faults.inject({ match: objectRequest('PUT', 'report_results/actions/firings/r/slot-1.json'), respond: { status: 409, code: 'ConditionalRequestConflict' } });
      const error = await store.put('actions/firings/r/slot-1.json', '{"by":"b"}', { ifMatch: current.etag }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PreconditionFailed);
      expect((error as PreconditionFailed).currentEtag).toBe(current.etag);
    });

    it('reports an If-Match put to a missing key (S3 answers 404 NoSuchKey) as PreconditionFailed without an etag', async () => {
      const error = await store.put('shares/t.json', '{}', { ifMatch: '"0123456789abcdef0123456789abcdef"' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PreconditionFailed);
      expect((error as PreconditionFailed).currentEtag).toBeUndefined();
      expect(await store.head('shares/t.json')).toBeNull();
    });
  });

  describe('retries', () => {
    it('retries a PUT answered 503 SlowDown and stores the object once', async () => {
      const recorder = peer.record();
      try {
        peer.faults.inject({ match: objectRequest('PUT', 'report_results/runs/r1/manifest.json'), respond: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' }, times: 2 });
        const info = await store.put('runs/r1/manifest.json', '{"queries":3}', { ifNoneMatch: '*' });
        expect(puts(recorder.requests, 'report_results/runs/r1/manifest.json')).toHaveLength(3);
        expect(await store.getJson('runs/r1/manifest.json')).toEqual({ value: { queries: 3 }, info });
      } finally {
        recorder.stop();
      }
    });

    it('gives up after maxAttempts and surfaces the S3 error', async () => {
      const impatient = createS3ObjectStore({ client: peer.createClient({ maxAttempts: 2 }), bucket, prefix: 'report_results' });
      peer.faults.inject({ match: objectRequest('PUT', 'report_results/x.json'), respond: { status: 503, code: 'SlowDown' }, times: 2 });
      const error = await impatient.put('x.json', '{}').catch((e: unknown) => e);
      expect((error as Error).name).toBe('SlowDown');
      expect(error).not.toBeInstanceOf(PreconditionFailed);
      expect(await store.head('x.json')).toBeNull();
    });

    it('retries a GET answered 500 InternalError', async () => {
      await store.put('runs/r1/q.csv', 'a,b\n');
      peer.faults.inject({ match: objectRequest('GET', 'report_results/runs/r1/q.csv'), respond: { status: 500, code: 'InternalError' } });
      expect((await store.getText('runs/r1/q.csv')).text).toBe('a,b\n');
    });
  });

  describe('reads that lose their connection', () => {
    const body = randomBytes(300_000);
    const key = 'runs/r1/big.csv';
    const s3Key = `report_results/${key}`;
    beforeEach(async () => {
      await store.put(key, body);
    });

    it('resumes a read cut after N bytes from the next byte, pinned to the etag, and yields identical bytes', async () => {
      const { etag } = (await store.head(key)) as { etag: string };
      const recorder = peer.record();
      try {
        peer.faults.inject({ match: objectRequest('GET', s3Key), cutAfterBytes: 100_000 });
        const back = await readAll(await store.read(key));
        expect(back.equals(body)).toBe(true);

        const [first, resumed, ...more] = gets(recorder.requests, s3Key);
        expect(more).toEqual([]);
        expect(first?.headers.range).toBeUndefined();
        expect(resumed?.headers['if-match']).toBe(etag);
        const from = Number(/^bytes=(\d+)-299999$/.exec(resumed?.headers.range ?? '')?.[1]);
        expect(from).toBeGreaterThan(0);
        expect(from).toBeLessThanOrEqual(100_000);
      } finally {
        recorder.stop();
      }
    });

    it('resumes a ranged read cut several times', async () => {
      peer.faults.inject({ match: objectRequest('GET', s3Key), cutAfterBytes: 10_000, times: 3 });
      const back = await readAll(await store.read(key, { start: 1_000, end: 250_000 }));
      expect(back.equals(body.subarray(1_000, 250_001))).toBe(true);
      expect(peer.faults.pending()).toBe(0);
    });

    it('resumes get as well', async () => {
      peer.faults.inject({ match: objectRequest('GET', s3Key), cutAfterBytes: 64_000 });
      const { body: back, info } = await store.get(key);
      expect(Buffer.from(back).equals(body)).toBe(true);
      expect(info).toEqual(await store.head(key));
    });

    it('never splices in a replacement: fails with ObjectChangedDuringRead after a prefix of the old version', async () => {
      const { etag } = (await store.head(key)) as { etag: string };
      peer.faults.inject({ match: objectRequest('GET', s3Key), cutAfterBytes: 50_000 });
      // Replaced after the cut, before the resuming GET reaches the server.
      peer.faults.inject({ match: (r) => objectRequest('GET', s3Key)(r) && r.headers['if-match'] !== undefined, before: async () => void (await store.put(key, randomBytes(300_000))) });

      const stream = await store.read(key);
      const received: Buffer[] = [];
      const error = await (async () => {
        for await (const chunk of stream) received.push(chunk as Buffer);
      })().catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ObjectChangedDuringRead);
      expect((error as ObjectChangedDuringRead).etag).toBe(etag);
      const prefix = Buffer.concat(received);
      expect(prefix.length).toBe((error as ObjectChangedDuringRead).delivered);
      expect(prefix.equals(body.subarray(0, prefix.length))).toBe(true);
    });

    it('gives up after maxReadResumes breaks without progress', async () => {
      const fragile = createS3ObjectStore({ client: peer.client, bucket, prefix: 'report_results', maxReadResumes: 2 });
      peer.faults.inject({ match: objectRequest('GET', s3Key), cutAfterBytes: 0, times: 3 });
      await expect(readAll(await fragile.read(key))).rejects.toThrow();
      expect(peer.faults.pending()).toBe(0);
    });
  });

  it('builds a client from endpoint, region, credentials and path-style options that sends no checksums S3 does not require', async () => {
    const own = createS3ObjectStore({ bucket, prefix: 'report_results', endpoint: peer.endpoint, region: S3_PEER_REGION, credentials: S3_PEER_CREDENTIALS, forcePathStyle: true, maxAttempts: 2 });
    const recorder = peer.record();
    try {
      const info = await own.put('a/b.json', '{"n":1}', { ifNoneMatch: '*' });
      expect(await store.getJson('a/b.json')).toEqual({ value: { n: 1 }, info });
      const [put] = puts(recorder.requests, 'report_results/a/b.json');
      expect(Object.keys(put?.headers ?? {}).filter((h) => h.startsWith('x-amz-checksum-') || h === 'x-amz-sdk-checksum-algorithm' || h === 'x-amz-trailer')).toEqual([]);
    } finally {
      recorder.stop();
    }
  });

  describe('prefix', () => {
    it('keeps its objects under <prefix>/ and lists only them, without the prefix', async () => {
      const sibling = createS3ObjectStore({ client: peer.client, bucket, prefix: 'report_results-old/' });
      await store.put('a/b.json', '{}');
      await sibling.put('a/c.json', '{}');

      const raw = await peer.client.send(new ListObjectsV2Command({ Bucket: bucket }));
      expect(raw.Contents?.map((o) => o.Key)).toEqual(['report_results-old/a/c.json', 'report_results/a/b.json']);
      const keys = async (s: ObjectStore, prefix: string): Promise<string[]> => {
        const all: string[] = [];
        for await (const info of s.list(prefix)) all.push(info.key);
        return all;
      };
      expect(await keys(store, '')).toEqual(['a/b.json']);
      expect(await keys(sibling, '')).toEqual(['a/c.json']);
      expect(await keys(store, 'a/c')).toEqual([]);
      await expect(store.get('a/c.json')).rejects.toBeInstanceOf(ObjectNotFound);
    });

    it('refuses a key that its prefix pushes over the 1024 bytes S3 allows', async () => {
      // 'report_results/' + 'k/' + 4 × (200 + '/') + last = 821 + last bytes.
      const keyWithLast = (bytes: number): string => `k/${Array.from({ length: 4 }, () => 'x'.repeat(200)).join('/')}/${'y'.repeat(bytes)}`;
      const error = await store.put(keyWithLast(204), 'x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidKey);
      expect((error as InvalidKey).reason).toContain('1025 bytes');
      await store.put(keyWithLast(203), 'fits');
      expect((await store.getText(keyWithLast(203))).text).toBe('fits');
    });
  });
});
