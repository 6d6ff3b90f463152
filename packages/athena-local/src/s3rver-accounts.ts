import { createRequire } from 'node:module';

interface S3rverAccount {
  createKeyPair(accessKeyId: string, secretAccessKey: string): void;
  revokeAccessKey(accessKeyId: string): void;
}

/**
 * Makes the S3 peer (s3rver) accept credentials the STS peer issued, as S3 accepts an assumed
 * role's keys: s3rver checks every signature against its account registry, which holds only its
 * built-in `S3RVER` key. The registry is module state shared by every s3rver in this process.
 */
export function s3rverCredentialRegistry(): { add(accessKeyId: string, secretAccessKey: string): void; remove(accessKeyId: string): void } {
  const require = createRequire(import.meta.url);
  const { DUMMY_ACCOUNT: account } = require('s3rver/lib/models/account') as { DUMMY_ACCOUNT: S3rverAccount };
  return {
    add: (accessKeyId, secretAccessKey) => account.createKeyPair(accessKeyId, secretAccessKey),
    remove: (accessKeyId) => account.revokeAccessKey(accessKeyId),
  };
}
