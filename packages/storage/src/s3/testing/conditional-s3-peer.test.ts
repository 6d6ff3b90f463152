import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { s3PeerClientConfig, startS3Peer, type S3Peer } from './s3-peer';

/**
 * Each test shows one S3 behaviour the layer provides and that s3rver alone does not, so the layer
 * stays no bigger than s3rver's gaps: a test here that fails on its "s3rver alone" half means s3rver
 * has learnt the behaviour and the layer can drop it.
 */
let peer: S3Peer;
let s3rverAlone: S3Client;
beforeAll(async () => {
  peer = await startS3Peer();
  s3rverAlone = new S3Client(s3PeerClientConfig(peer.s3rverEndpoint));
});
afterAll(async () => {
  s3rverAlone?.destroy();
  await peer?.stop();
});

const failure = <T>(promise: Promise<T>): Promise<{ name: string; status: number | undefined }> =>
  promise.then(
    () => ({ name: 'none', status: undefined }),
    (e: { name: string; $metadata?: { httpStatusCode?: number } }) => ({ name: e.name, status: e.$metadata?.httpStatusCode }),
  );

describe('conditional S3 layer in front of s3rver', () => {
  let bucket: string;
  const text = async (client: S3Client, key: string): Promise<string> => (await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString()) ?? '';
  beforeEach(async () => {
    bucket = await peer.createBucket();
  });

  it('answers 412 PreconditionFailed to a create-only PUT over an existing key, which s3rver alone overwrites', async () => {
    await peer.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.json', Body: 'first' }));

    expect(await failure(peer.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.json', Body: 'second', IfNoneMatch: '*' })))).toEqual({ name: 'PreconditionFailed', status: 412 });
    expect(await text(peer.client, 'a.json')).toBe('first');

    await s3rverAlone.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.json', Body: 'second', IfNoneMatch: '*' }));
    expect(await text(peer.client, 'a.json')).toBe('second');
  });

  it('answers 412 to a PUT If-Match with another etag and 404 NoSuchKey to one on a missing key, both of which s3rver alone accepts', async () => {
    const { ETag: first } = await peer.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.json', Body: 'first' }));
    await peer.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.json', Body: 'second' }));

    expect(await failure(peer.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.json', Body: 'third', IfMatch: first })))).toEqual({ name: 'PreconditionFailed', status: 412 });
    expect(await failure(peer.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'missing.json', Body: 'x', IfMatch: first })))).toEqual({ name: 'NoSuchKey', status: 404 });
    expect(await text(peer.client, 'a.json')).toBe('second');

    await s3rverAlone.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.json', Body: 'third', IfMatch: first }));
    await s3rverAlone.send(new PutObjectCommand({ Bucket: bucket, Key: 'missing.json', Body: 'x', IfMatch: first }));
    expect(await text(peer.client, 'a.json')).toBe('third');
    expect(await text(peer.client, 'missing.json')).toBe('x');
  });

  it('answers 412 to a GET or HEAD If-Match with another etag, which s3rver alone serves', async () => {
    await peer.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.csv', Body: '0123456789' }));
    const stale = '"00000000000000000000000000000000"';

    expect(await failure(peer.client.send(new GetObjectCommand({ Bucket: bucket, Key: 'a.csv', Range: 'bytes=5-', IfMatch: stale })))).toEqual({ name: 'PreconditionFailed', status: 412 });
    expect(await failure(peer.client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'a.csv', IfMatch: stale })))).toMatchObject({ status: 412 });

    const alone = await s3rverAlone.send(new GetObjectCommand({ Bucket: bucket, Key: 'a.csv', Range: 'bytes=5-', IfMatch: stale }));
    expect(await alone.Body?.transformToString()).toBe('56789');
  });

  it('lists keys in UTF-8 byte order, where s3rver alone lists them in file-tree order', async () => {
    for (const key of ['p/a/b', 'p/a-b', 'p/a.b', 'p/\u{1F600}', 'p/\uFF5A']) await peer.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    const keys = async (client: S3Client): Promise<(string | undefined)[]> => ((await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'p/' }))).Contents ?? []).map((o) => o.Key);

    expect(await keys(peer.client)).toEqual(['p/a-b', 'p/a.b', 'p/a/b', 'p/\uFF5A', 'p/\u{1F600}']);
    expect(await keys(s3rverAlone)).not.toEqual(await keys(peer.client));
  });

  it('pages a listing past 1000 keys, where s3rver alone fails with 500 (its continuation tokens use DES, which OpenSSL 3 refuses)', async () => {
    const keys = Array.from({ length: 1001 }, (_, i) => `e/${String(i).padStart(4, '0')}.json`);
    for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((key) => s3rverAlone.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '{}' }))));

    const first = await peer.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'e/', MaxKeys: 1000 }));
    expect(first.IsTruncated).toBe(true);
    const second = await peer.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'e/', ContinuationToken: first.NextContinuationToken }));
    expect([...(first.Contents ?? []), ...(second.Contents ?? [])].map((o) => o.Key)).toEqual(keys);

    const alone = new S3Client(s3PeerClientConfig(peer.s3rverEndpoint, { maxAttempts: 1 }));
    try {
      expect(await failure(alone.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'e/', MaxKeys: 1000 })))).toEqual({ name: 'InternalError', status: 500 });
    } finally {
      alone.destroy();
    }
  });
});
