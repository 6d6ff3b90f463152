#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so `npx access-monitor` works right after `npm install`.
import { register } from 'tsx/esm/api';

// The AWS SDK versions pinned here support Node 20; its notice about future releases is noise for operators.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
await import('../src/cli/main.ts');
