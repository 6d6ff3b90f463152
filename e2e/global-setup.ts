import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';

const ROOT = path.resolve(import.meta.dirname, '..');
export const CLI = path.join(ROOT, 'apps/server/bin/access-monitor.js');
/** The development-only peers for the Athena path (`access-monitor-aws-local`). */
const AWS_LOCAL_CLI = path.join(ROOT, 'apps/server/bin/access-monitor-aws-local.js');
export const E2E_PASSWORD = 'e2e-password-correct-horse';
/** Users and their roles (comma-separated; empty = no Access Monitoring role). */
export const E2E_USERS = { auditor: 'auditor', 'second-auditor': 'auditor', editor: 'editor', visitor: '' } as const;
/** The response-action destination the server is configured with: a loopback webhook (see `startWebhookReceiver`). */
export const E2E_WEBHOOK = { name: 'e2e-webhook', secret: 'e2e-secret-0123456789abcdef' } as const;
/** Teleport's web UI the server is configured with, for "Play in Teleport" links. */
export const E2E_TELEPORT = { proxyUrl: 'https://teleport.example.com', cluster: 'e2e-cluster' } as const;

/** Generates a small dataset, serves the production build over it, and tears both down after. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'access-monitor-e2e-'));
  const events = path.join(dir, 'events');
  const gen = spawnSync(process.execPath, [CLI, 'demo-data', '--out', events, '--days', '35', '--events', '20000', '--seed', '11'], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`demo-data failed: ${gen.stderr}`);
  const webhook = await startWebhookReceiver();
  const config = path.join(dir, 'access-monitor.yaml');
  writeFileSync(
    config,
    `access_monitoring:\n  enabled: true\n  report_results: file://${dir}/report_results\naudit_events_uri: parquet://${events}\nauth:\n  mode: local\n  local:\n    users_file: ./users.yaml\n` +
      // Rows carrying a session id link to Teleport's player (never opened by the tests).
      `teleport:\n  proxy_url: ${E2E_TELEPORT.proxyUrl}\n  cluster_name: ${E2E_TELEPORT.cluster}\n` +
      // Response actions may deliver only to the loopback receiver.
      `actions:\n  allowed_hosts: ['127.0.0.1']\n  allow_private_addresses: true\n  destinations:\n    ${E2E_WEBHOOK.name}:\n      type: webhook\n      url: ${webhook.origin}/hook\n      secret: ${E2E_WEBHOOK.secret}\n`,
  );
  for (const [name, roles] of Object.entries(E2E_USERS)) {
    const args = [CLI, 'users', 'add', name, '--config', config, '--password-stdin', ...(roles ? ['--roles', roles] : [])];
    const add = spawnSync(process.execPath, args, { input: `${E2E_PASSWORD}\n`, encoding: 'utf8' });
    if (add.status !== 0) throw new Error(`users add ${name} failed: ${add.stderr}`);
  }

  const server = spawn(process.execPath, [CLI, 'serve', '--config', config, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await dashboardUrl(server, 'server');

  // The production path on loopback: the same events in an S3 peer, queried through the Athena peer.
  const awsDir = path.join(dir, 'aws');
  for (const [name, roles] of Object.entries(E2E_USERS)) {
    const args = [CLI, 'users', 'add', name, '--users-file', path.join(awsDir, 'users.yaml'), '--password-stdin', ...(roles ? ['--roles', roles] : [])];
    const add = spawnSync(process.execPath, args, { input: `${E2E_PASSWORD}\n`, encoding: 'utf8' });
    if (add.status !== 0) throw new Error(`users add ${name} (aws-local) failed: ${add.stderr}`);
  }
  const awsServer = spawn(process.execPath, [AWS_LOCAL_CLI, '--data', events, '--write-config', path.join(awsDir, 'access-monitor.yaml'), '--serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const awsUrl = await dashboardUrl(awsServer, 'aws-local server');
  process.env.E2E_BASE_URL = url;
  process.env.E2E_DATA_DIR = events;
  process.env.E2E_AWS_BASE_URL = awsUrl;
  process.env.E2E_WEBHOOK_ORIGIN = webhook.origin;
  return async () => {
    server.kill('SIGTERM');
    awsServer.kill('SIGTERM');
    webhook.server.closeAllConnections();
    webhook.server.close();
  };
}

/** Resolves with the URL a starting server prints; rejects with its output if it exits or takes over a minute. */
function dashboardUrl(server: ChildProcessByStdio<null, Readable, Readable>, what: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${out}`)), 90_000);
    server.stdout.on('data', (d: Buffer) => {
      out += d;
      const m = /serving the dashboard on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    server.stderr.on('data', (d: Buffer) => (out += d));
    server.once('exit', (code) => reject(new Error(`${what} exited ${code}: ${out}`)));
  });
}

/** A request the loopback webhook received, as `GET /received` on the receiver lists them (oldest first). */
export interface ReceivedWebhook {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * The webhook destination of the e2e server: answers every POST with 200 and records it; specs read what arrived
 * with `GET <E2E_WEBHOOK_ORIGIN>/received` (they run in other processes).
 */
async function startWebhookReceiver(): Promise<{ origin: string; server: http.Server }> {
  const received: ReceivedWebhook[] = [];
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/received') {
      res.setHeader('Content-Type', 'application/json').end(JSON.stringify(received));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.setHeader('Content-Type', 'application/json').end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
