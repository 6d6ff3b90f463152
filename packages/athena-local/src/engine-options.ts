import type { AthenaEngineOptions } from '@access-monitor/engine';
import type { AwsLocal } from './aws-local';

/**
 * Athena engine options pointing at a running aws-local, as the server builds them from the config
 * aws-local writes; polling and retries shortened for tests.
 */
export function athenaEngineOptionsFor(local: AwsLocal, overrides: Partial<AthenaEngineOptions> = {}): AthenaEngineOptions {
  return {
    database: local.database,
    table: local.table,
    region: local.region,
    workgroup: local.workgroup,
    outputLocation: `s3://${local.buckets.transient}/results`,
    locationS3: `s3://${local.buckets.longTerm}/events`,
    roleArn: local.roleArn,
    endpoints: local.endpoints,
    forcePathStyle: true,
    credentials: local.credentials,
    pollIntervalMs: 10,
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 },
    ...overrides,
  };
}
