import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcToday } from '@access-monitor/contracts';
import { verifyPassword } from '../identity/password-hash';
import { readUsersFile } from '../identity/users-file';
import { showDemoPasswords } from './demo-command';

const BIN = fileURLToPath(new URL('../../bin/access-monitor.js', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-demo-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `access-monitor demo` as `npm start > server.log` would, without a terminal, until it serves; its whole output. */
function demoOutput(demoDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // detached: a session of its own, so there is no controlling terminal to fall back on either.
    const child = spawn(process.execPath, [BIN, 'demo', '--dir', demoDir, '--port', '0'], { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'debug' } });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`demo did not start: ${out}`));
    }, 90_000);
    const collect = (d: Buffer) => {
      out += d;
      if (/serving the dashboard on http/.test(out)) child.kill('SIGTERM');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

describe('the demo users\' one-time passwords', () => {
  it('never reach the server log: not printed when the output is not a terminal, and never logged', async () => {
    const demoDir = path.join(dir, 'demo');
    await mkdir(path.join(demoDir, 'events'), { recursive: true });
    // Demo data already generated today: the test needs the users, not 500,000 events.
    await writeFile(path.join(demoDir, 'demo.json'), JSON.stringify({ end: utcToday(new Date()), days: 90, events: 0 }));
    const log = await demoOutput(demoDir);
    expect(log).toMatch(/serving the dashboard on/);
    expect(log).toMatch(/one-time passwords are not printed/);
    const users = await readUsersFile(path.join(demoDir, 'users.yaml'));
    expect(users.map((u) => u.name)).toEqual(['auditor@demo', 'editor@demo', 'visitor@demo']);
    // Any token in the output shaped like a generated password must open none of the accounts.
    const candidates = [...new Set(log.match(/[A-Za-z0-9_-]{24}/g) ?? [])];
    for (const candidate of candidates) {
      for (const u of users) expect(await verifyPassword(candidate, u.passwordHash), `${u.name}'s password is in the log`).toBe(false);
    }
  });

  it('are written to the terminal only, when there is one', () => {
    const terminal: string[] = [];
    const log: string[] = [];
    const users = [{ name: 'auditor@demo', roles: ['auditor'], password: 'Zx9-one-time-password-42' }];
    showDemoPasswords(users, '/demo/users.yaml', { write: (t) => terminal.push(t) }, { write: (t: string) => log.push(t) } as unknown as NodeJS.WritableStream);
    expect(terminal.join('')).toContain('Zx9-one-time-password-42');
    expect(log.join('')).toBe('');
  });
});
