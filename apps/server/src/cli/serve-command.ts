import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfigFile, type AppConfig } from '../config/load-config';
import { createLogger } from '../logger';
import { serve } from '../serve';
import { CliError } from './cli-error';

export const SERVE_USAGE = 'access-monitor serve [--config access-monitor.yaml] [--host 127.0.0.1] [--port 8080]';

/** The built dashboard, when `npm run build` has produced it. */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be 0–65535, got ${value}`, 2);
  return port;
}

export async function serveCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string', default: 'access-monitor.yaml' }, host: { type: 'string' }, port: { type: 'string' } } });
  const file = path.resolve(values.config);
  if (!existsSync(file)) throw new CliError(`config file ${file} not found (use --config FILE, or \`npm start\` for the embedded demo)`, 2);
  const config = await loadConfigFile(file);
  await serveAndWait(withServerFlags(config, values.host, parsePort(values.port)));
}

export function withServerFlags(config: AppConfig, host: string | undefined, port: number | undefined): AppConfig {
  return { ...config, server: { ...config.server, host: host ?? config.server.host, port: port ?? config.server.port } };
}

/** Serves until SIGINT/SIGTERM, then closes cleanly. */
export async function serveAndWait(config: AppConfig): Promise<void> {
  const logger = createLogger();
  const server = await serve(config, { logger, ...(existsSync(path.join(WEB_DIST, 'index.html')) ? { webDist: WEB_DIST } : {}) });
  console.log(`access-monitor is serving the dashboard on ${server.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
}
