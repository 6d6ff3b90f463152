import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createFsObjectStore } from '@access-monitor/storage';
import { createApp } from './app';
import { startAuditSourceFollowers } from './audit-sources/follow-audit-sources';
import { ConfigError, type AppConfig } from './config/load-config';
import { createEngineFor } from './engine-for-config';
import { createIdentityForConfig } from './identity/identity-for-config';
import { presentMe } from './me/me-router';
import { loadRoleRegistry } from './roles/load-role-files';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the BFF for a config; resolves once it listens. */
export async function serve(config: AppConfig, opts: { logger: Logger; webDist?: string }): Promise<RunningServer> {
  if (config.reportResults.kind !== 'file') {
    throw new ConfigError(`${config.file ?? 'config'}: access_monitoring.report_results: s3:// storage is not available in this build yet; use file:///path`);
  }
  await mkdir(config.reportResults.dir, { recursive: true });
  const roles = await loadRoleRegistry(config.roleFiles);
  const store = createFsObjectStore(config.reportResults.dir);
  const identity = await createIdentityForConfig(config.auth, { logger: opts.logger, present: (user) => presentMe(user, config.auth.mode, roles) });
  const engine = await createEngineFor(config, config.reportResults.dir);
  const followers =
    config.auditEvents.kind === 'parquet'
      ? startAuditSourceFollowers({ sources: config.auditSources, dataDir: config.auditEvents.dir, intervalMs: config.auditSourcesIntervalMs, logger: opts.logger })
      : undefined;
  const app = createApp({ config, engine, store, identity, roles, logger: opts.logger, ...(opts.webDist ? { webDist: opts.webDist } : {}) });
  const server = app.listen(config.server.port, config.server.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await followers?.stop();
      await engine.close();
      await identity.close?.();
    },
  };
}
