import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3PeerClientConfig, startS3Peer, S3_PEER_CREDENTIALS, S3_PEER_REGION, type S3Peer } from '@access-monitor/storage/testing';
import { startAthenaPeer, type AthenaPeer } from './athena-peer';
import { s3rverCredentialRegistry } from './s3rver-accounts';
import type { WorkgroupConfig } from './athena-executions';

export interface AwsLocalOptions {
  /** Parquet in Teleport's layout, `<dataDir>/<YYYY-MM-DD>/<chunk>.parquet`, uploaded into the S3 peer. Optional: empty table without it. */
  dataDir?: string;
  /** Default `audit_db`. */
  database?: string;
  /** Default `audit_table`. */
  table?: string;
  /** Default `access_monitoring_workgroup`. */
  workgroup?: string;
  /** BytesScannedCutoffPerQuery of that workgroup. Default none. */
  bytesScannedCutoffPerQuery?: number;
  /** The role the service assumes; default `arn:aws:iam::123456789012:role/AccessMonitoringRole`. */
  roleArn?: string;
  /** Athena calls must carry that role's credentials (so a config without role_arn fails like it would against a locked-down account). Default true. */
  requireRole?: boolean;
  cacheDir?: string;
  threads?: number;
}

export interface AwsLocal {
  region: string;
  endpoints: { athena: string; s3: string; sts: string };
  /** The identity the service starts from (assumes `roleArn` with it). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  roleArn: string;
  workgroup: string;
  database: string;
  table: string;
  buckets: { longTerm: string; transient: string };
  /** `athena://<database>.<table>?region=…&workgroup=…&queryResultsS3=s3://<transient>/results&locationS3=s3://<longTerm>/events` */
  auditEventsUri: string;
  /** `s3://<longTerm>/report_results`, for access_monitoring.report_results. */
  reportResults: string;
  /** Parquet files uploaded from dataDir. */
  uploadedFiles: number;
  athena: AthenaPeer;
  s3: S3Peer;
  stop(): Promise<void>;
}

const PARTITION = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Teleport's Athena audit backend on loopback: an S3 peer with the long-term bucket (events and
 * report_results) and the transient one (Athena results), the Athena/STS peer over them, and
 * dataDir's Parquet uploaded in Teleport's layout. What a config needs to point at it is returned.
 */
export async function startAwsLocal(options: AwsLocalOptions = {}): Promise<AwsLocal> {
  const database = options.database ?? 'audit_db';
  const table = options.table ?? 'audit_table';
  const workgroup = options.workgroup ?? 'access_monitoring_workgroup';
  const roleArn = options.roleArn ?? 'arn:aws:iam::123456789012:role/AccessMonitoringRole';
  const s3 = await startS3Peer();
  const registry = s3rverCredentialRegistry();
  const issuedKeys: string[] = [];
  let athena: AthenaPeer | undefined;
  try {
    const longTerm = s3.bucket;
    const transient = await s3.createBucket();
    const locationS3 = `s3://${longTerm}/events`;
    const queryResultsS3 = `s3://${transient}/results`;
    const uploadedFiles = options.dataDir ? await uploadParquet(s3, options.dataDir, longTerm, 'events') : 0;
    const workgroups: WorkgroupConfig[] = [
      { name: 'primary' },
      { name: workgroup, outputLocation: `${queryResultsS3}/`, ...(options.bytesScannedCutoffPerQuery !== undefined ? { bytesScannedCutoffPerQuery: options.bytesScannedCutoffPerQuery } : {}) },
    ];
    athena = await startAthenaPeer({
      s3: s3PeerClientConfig(s3.endpoint),
      tables: { [`${database}.${table}`]: locationS3 },
      workgroups,
      roles: { [roleArn]: { allow: true } },
      requireRoleCredentials: options.requireRole ?? true,
      onCredentialsIssued: (accessKeyId, secret) => {
        issuedKeys.push(accessKeyId);
        registry.add(accessKeyId, secret);
      },
      ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
    });
    const query = new URLSearchParams({ region: S3_PEER_REGION, workgroup, queryResultsS3, locationS3 });
    const peer = athena;
    return {
      region: S3_PEER_REGION,
      endpoints: { athena: athena.endpoint, s3: s3.endpoint, sts: athena.endpoint },
      credentials: { ...S3_PEER_CREDENTIALS },
      roleArn,
      workgroup,
      database,
      table,
      buckets: { longTerm, transient },
      // Unencoded like the URIs Teleport's docs show; the values hold no & or =.
      auditEventsUri: `athena://${database}.${table}?${decodeURIComponent(query.toString())}`,
      reportResults: `s3://${longTerm}/report_results`,
      uploadedFiles,
      athena,
      s3,
      stop: async () => {
        await peer.stop();
        await s3.stop();
        for (const key of issuedKeys) registry.remove(key);
      },
    };
  } catch (e) {
    await athena?.stop();
    await s3.stop();
    throw e;
  }
}

/** Uploads `<dataDir>/<YYYY-MM-DD>/*.parquet` to `s3://<bucket>/<prefix>/<YYYY-MM-DD>/…`; returns how many files. */
export async function uploadParquet(s3: S3Peer, dataDir: string, bucket: string, prefix: string): Promise<number> {
  let count = 0;
  for (const date of (await readdir(dataDir)).sort()) {
    if (!PARTITION.test(date)) continue;
    for (const name of (await readdir(path.join(dataDir, date))).sort()) {
      if (!name.endsWith('.parquet') || name.startsWith('.')) continue;
      const body = await readFile(path.join(dataDir, date, name));
      await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/${date}/${name}`, Body: body, ContentLength: body.byteLength }));
      count++;
    }
  }
  return count;
}
