import { hostname } from 'node:os';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { AssumeRoleFailed } from '../errors';
import { errorName } from './aws-retry';

/** Static credentials or a provider, as every SDK client takes them. */
export type AwsCredentials = NonNullable<S3ClientConfig['credentials']>;
type Identity = Awaited<ReturnType<Extract<AwsCredentials, (...args: never[]) => unknown>>>;

export interface RoleCredentialsOptions {
  roleArn: string;
  region: string;
  /** STS endpoint override (a loopback peer); default: the region's STS. */
  stsEndpoint?: string;
  /** The identity that assumes the role; default: the SDK's provider chain. */
  sourceCredentials?: AwsCredentials;
  /** Lifetime asked of STS. Default: STS's own (1 hour). */
  durationSeconds?: number;
  sessionName?: string;
}

export interface RoleCredentials {
  /** Pass as `credentials` to every client that should act as the role. */
  provider: () => Promise<Identity>;
  /** Forget the current credentials: the service said they expired or were revoked before their time. */
  invalidate(): void;
}

/** Refresh this long before expiry (at most half the lifetime, so short-lived test credentials are used at all). */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** What the SDK's own cache is told: inside its 5-minute refresh window, so it asks `provider` before every request. */
const REPORTED_LIFETIME_MS = 60_000;

/** A session name that says which service acted, for CloudTrail: `access-monitor-<host>`, within STS's 64 characters. */
export function defaultRoleSessionName(): string {
  return `access-monitor-${hostname().replace(/[^\w+=,.@-]/g, '-')}`.slice(0, 64);
}

/**
 * Credentials of the assumed `role_arn` (STS AssumeRole through the SDK's fromTemporaryCredentials),
 * refreshed before they expire and on demand. This is the only cache: the SDK is told a short
 * expiration so that `invalidate()` takes effect on the very next request. A role that cannot be
 * assumed fails every request with AssumeRoleFailed, carrying STS's own code and message.
 */
export function roleCredentials(options: RoleCredentialsOptions): RoleCredentials {
  const assume = fromTemporaryCredentials({
    params: {
      RoleArn: options.roleArn,
      RoleSessionName: options.sessionName ?? defaultRoleSessionName(),
      ...(options.durationSeconds !== undefined ? { DurationSeconds: options.durationSeconds } : {}),
    },
    ...(options.sourceCredentials !== undefined ? { masterCredentials: options.sourceCredentials } : {}),
    clientConfig: { region: options.region, ...(options.stsEndpoint !== undefined ? { endpoint: options.stsEndpoint } : {}) },
  });
  let current: Promise<{ identity: Identity; refreshAt: number }> | undefined;

  const fetch = async (): Promise<{ identity: Identity; refreshAt: number }> => {
    const obtainedAt = Date.now();
    let identity: Identity;
    try {
      identity = await assume();
    } catch (e) {
      throw new AssumeRoleFailed(options.roleArn, errorName(e), (e as Error).message);
    }
    const expiresAt = identity.expiration?.getTime() ?? Infinity;
    const margin = Math.min(REFRESH_MARGIN_MS, (expiresAt - obtainedAt) / 2);
    return { identity, refreshAt: expiresAt - margin };
  };

  return {
    provider: async () => {
      let entry = current;
      if (entry === undefined || Date.now() >= (await entry.catch(() => ({ refreshAt: 0 }))).refreshAt) {
        entry = current = fetch();
        // A failed assume is not cached: the next request asks STS again.
        entry.catch(() => {
          if (current === entry) current = undefined;
        });
      }
      const { identity } = await entry;
      const reported = Math.min(identity.expiration?.getTime() ?? Infinity, Date.now() + REPORTED_LIFETIME_MS);
      return { ...identity, expiration: new Date(reported) };
    },
    invalidate: () => {
      current = undefined;
    },
  };
}
