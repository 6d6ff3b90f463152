import path from 'node:path';
import { createAthenaEngine, parseAthenaUri, roleCredentials, InvalidAthenaUri, type AthenaUri, type AwsCredentials, type QueryEngine } from '@access-monitor/engine';
import { createFsObjectStore, createS3ObjectStore, parseS3Uri, type ObjectStore } from '@access-monitor/storage';
import { ConfigError } from '../config/config-error';
import type { AppConfig } from '../config/load-config';

/** The `athena://` URI of the config, parsed; a malformed one is a config error naming the key. */
export function athenaUriOf(config: AppConfig): AthenaUri {
  if (config.auditEvents.kind !== 'athena') throw new Error('athenaUriOf: the config names parquet:// events');
  try {
    return parseAthenaUri(config.auditEvents.uri);
  } catch (e) {
    if (e instanceof InvalidAthenaUri) throw new ConfigError(`${config.file ?? 'config'}: audit_events_uri: ${e.message}`);
    throw e;
  }
}

/**
 * The AWS region: the athena:// URI's, else `aws.region`, else the SDK's environment (`AWS_REGION`).
 * Asked only when something in the config lives in AWS.
 */
export function awsRegionOf(config: AppConfig, env: NodeJS.ProcessEnv = process.env): string {
  const fromUri = config.auditEvents.kind === 'athena' ? athenaUriOf(config).region : undefined;
  const region = fromUri ?? config.aws.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new ConfigError(`${config.file ?? 'config'}: no AWS region: add ?region=… to audit_events_uri, set aws.region, or AWS_REGION`);
  return region;
}

/** `aws.static_credentials` (loopback peers), else undefined: the SDK's default chain. */
function sourceCredentials(config: AppConfig): AwsCredentials | undefined {
  return config.aws.staticCredentials;
}

/** Athena over Teleport's audit table, as `role_arn` when set, in the configured workgroup. */
export async function createAthenaEngineFor(config: AppConfig, onWarning: (message: string) => void): Promise<QueryEngine> {
  const uri = athenaUriOf(config);
  for (const param of uri.unknownParams) onWarning(`audit_events_uri: ignoring unknown parameter ${param}`);
  const credentials = sourceCredentials(config);
  const workgroup = config.workgroup ?? uri.workgroup;
  return createAthenaEngine({
    database: uri.database,
    table: uri.table,
    region: awsRegionOf(config),
    ...(workgroup ? { workgroup } : {}),
    ...(uri.queryResultsS3 ? { outputLocation: uri.queryResultsS3 } : {}),
    ...(uri.locationS3 ? { locationS3: uri.locationS3 } : {}),
    ...(config.roleArn ? { roleArn: config.roleArn } : {}),
    endpoints: config.aws.endpoints,
    forcePathStyle: config.aws.s3ForcePathStyle,
    ...(credentials ? { credentials } : {}),
    queryTimeoutMs: config.limits.queryTimeoutMs,
    onWarning,
  });
}

/**
 * Where the server's state lives (DESIGN §5): the `report_results` folder, or its S3 prefix
 * accessed as `role_arn` (the documented policy grants the role PutObject/GetObject there).
 */
export function createReportStoreFor(config: AppConfig): ObjectStore {
  if (config.reportResults.kind === 'file') return createFsObjectStore(config.reportResults.dir);
  const location = parseS3Uri(config.reportResults.uri);
  const region = awsRegionOf(config);
  const source = sourceCredentials(config);
  const credentials = config.roleArn
    ? roleCredentials({ roleArn: config.roleArn, region, ...(config.aws.endpoints.sts ? { stsEndpoint: config.aws.endpoints.sts } : {}), ...(source ? { sourceCredentials: source } : {}) }).provider
    : source;
  return createS3ObjectStore({
    bucket: location.bucket,
    prefix: location.prefix,
    region,
    ...(config.aws.endpoints.s3 ? { endpoint: config.aws.endpoints.s3 } : {}),
    forcePathStyle: config.aws.s3ForcePathStyle,
    ...(credentials ? { credentials } : {}),
  });
}

/**
 * A local folder for what the embedded engine keeps on disk (its result files): the file://
 * report_results folder, or, when state is in S3, `.access-monitor-state` beside the config.
 */
export function localStateDirFor(config: AppConfig): string {
  if (config.reportResults.kind === 'file') return config.reportResults.dir;
  return path.join(config.file ? path.dirname(path.resolve(config.file)) : process.cwd(), '.access-monitor-state');
}
