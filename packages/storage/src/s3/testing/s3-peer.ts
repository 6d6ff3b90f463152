import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { startConditionalS3Peer, type ConditionalS3Peer, type FaultInjector, type RequestRecorder } from './conditional-s3-peer';

/** s3rver's built-in account: public test values, not secrets. */
export const S3_PEER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const S3_PEER_REGION = 'us-east-1';

export interface S3Peer {
  /** Where clients connect: the S3-semantics layer in front of s3rver (or s3rver itself when `conditional: false`). */
  endpoint: string;
  /** s3rver itself, without the layer. */
  s3rverEndpoint: string;
  /** An empty bucket made with CreateBucket. */
  bucket: string;
  /** A client for `endpoint` with the settings S3-compatible peers need (path-style, checksums only when required). */
  client: S3Client;
  /** Another client for `endpoint` (a fresh connection pool), with `overrides` applied. */
  createClient(overrides?: Partial<S3ClientConfig>): S3Client;
  /** Makes another empty bucket and returns its name. */
  createBucket(): Promise<string>;
  /** Faults for the next matching requests (only with the layer in front). */
  faults: FaultInjector;
  /** Records the requests that reach the layer, without credentials (only with the layer in front). */
  record(): RequestRecorder;
  stop(): Promise<void>;
}

export interface StartS3PeerOptions {
  /**
   * Put the conditional layer (conditional-s3-peer.ts) in front of s3rver, so the peer keeps the S3
   * semantics s3rver lacks: conditional PUT and GET, atomic replacement, UTF-8 listing order. Default true.
   */
  conditional?: boolean;
}

/** The client settings DESIGN.md §9 asks for, for any endpoint of the peer. */
export function s3PeerClientConfig(endpoint: string, overrides: Partial<S3ClientConfig> = {}): S3ClientConfig {
  return {
    endpoint,
    region: S3_PEER_REGION,
    credentials: S3_PEER_CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...overrides,
  };
}

/**
 * An S3-compatible server on 127.0.0.1 (s3rver, from npm) over a temp folder, with one empty bucket.
 * `stop()` closes it and removes the folder.
 */
export async function startS3Peer(options: StartS3PeerOptions = {}): Promise<S3Peer> {
  const directory = await mkdtemp(path.join(tmpdir(), 's3-peer-'));
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
  let layer: ConditionalS3Peer | undefined;
  const clients: S3Client[] = [];
  const stop = async (): Promise<void> => {
    for (const client of clients) client.destroy();
    await layer?.stop();
    await s3rver.close().catch(() => undefined);
    await rm(directory, { recursive: true, force: true });
  };
  try {
    const { port } = await s3rver.run();
    const s3rverEndpoint = `http://127.0.0.1:${port}`;
    layer = options.conditional === false ? undefined : await startConditionalS3Peer({ upstream: s3rverEndpoint });
    const endpoint = layer?.endpoint ?? s3rverEndpoint;
    const createClient = (overrides?: Partial<S3ClientConfig>): S3Client => {
      const client = new S3Client(s3PeerClientConfig(endpoint, overrides));
      clients.push(client);
      return client;
    };
    const client = createClient();
    const createBucket = async (): Promise<string> => {
      const name = `bucket-${randomBytes(6).toString('hex')}`;
      await client.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    };
    const bucket = await createBucket();
    const faults = layer?.faults ?? noFaults;
    const record = (): RequestRecorder => {
      if (!layer) throw new Error('recording needs the conditional layer: start the peer without `conditional: false`');
      return layer.record();
    };
    return { endpoint, s3rverEndpoint, bucket, client, createClient, createBucket, faults, record, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const noFaults: FaultInjector = {
  inject() {
    throw new Error('faults need the conditional layer: start the peer without `conditional: false`');
  },
  pending: () => 0,
};
