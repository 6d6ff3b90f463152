#!/usr/bin/env node
// A development tool, not part of the server: the S3 and Athena/STS peers on loopback over a Parquet
// folder, and a config pointing at them (`npm run start:aws-local`). It lives in its own bin so the
// production CLI never loads the test-only athena-local package.
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
await import('../src/dev/aws-local-main.ts');
