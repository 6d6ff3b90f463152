import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';

const ROOT = path.resolve(import.meta.dirname, '..');
export const CLI = path.join(ROOT, 'apps/server/bin/access-monitor.js');
export const E2E_PASSWORD = 'e2e-password-correct-horse';
/** Users and their roles (comma-separated; empty = no Access Monitoring role). */
export const E2E_USERS = { auditor: 'auditor', 'second-auditor': 'auditor', editor: 'editor', visitor: '' } as const;

/** Generates a small dataset, serves the production build over it, and tears both down after. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'access-monitor-e2e-'));
  const events = path.join(dir, 'events');
  const gen = spawnSync(process.execPath, [CLI, 'demo-data', '--out', events, '--days', '35', '--events', '20000', '--seed', '11'], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`demo-data failed: ${gen.stderr}`);
  const config = path.join(dir, 'access-monitor.yaml');
  writeFileSync(
    config,
    `access_monitoring:\n  enabled: true\n  report_results: file://${dir}/report_results\naudit_events_uri: parquet://${events}\nauth:\n  mode: local\n  local:\n    users_file: ./users.yaml\n`,
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
  const awsServer = spawn(process.execPath, [CLI, 'aws-local', '--data', events, '--write-config', path.join(awsDir, 'access-monitor.yaml'), '--serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const awsUrl = await dashboardUrl(awsServer, 'aws-local server');
  process.env.E2E_BASE_URL = url;
  process.env.E2E_DATA_DIR = events;
  process.env.E2E_AWS_BASE_URL = awsUrl;
  return async () => {
    server.kill('SIGTERM');
    awsServer.kill('SIGTERM');
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
