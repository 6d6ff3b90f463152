import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../identity/password-hash';
import { readUsersFile } from '../identity/users-file';

const BIN = fileURLToPath(new URL('../../bin/access-monitor.js', import.meta.url));
let dir: string;
let usersFile: string;

function cli(args: string[], input?: string) {
  return spawnSync(process.execPath, [BIN, 'users', ...args], { encoding: 'utf8', cwd: dir, ...(input !== undefined ? { input } : {}) });
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-users-cli-'));
  usersFile = path.join(dir, 'users.yaml');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('access-monitor users', () => {
  it('add creates the users file 0600 and prints a generated one-time password that verifies', async () => {
    const r = cli(['add', 'alice@example.com', '--roles', 'auditor,editor', '--users-file', usersFile]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const m = /^created user alice@example\.com with roles auditor,editor; one-time password: (\S+)\n$/.exec(r.stdout);
    expect(m).not.toBeNull();
    expect((await stat(usersFile)).mode & 0o777).toBe(0o600);
    const [alice] = await readUsersFile(usersFile);
    expect(alice!.roles).toEqual(['auditor', 'editor']);
    expect(await verifyPassword(m![1]!, alice!.passwordHash)).toBe(true);
  });

  it('refuses a duplicate name, and --replace with --password-stdin resets it without printing a password', async () => {
    expect(cli(['add', 'alice', '--roles', 'auditor', '--users-file', usersFile]).status).toBe(0);
    const duplicate = cli(['add', 'alice', '--roles', 'editor', '--users-file', usersFile]);
    expect(duplicate.status).not.toBe(0);
    expect(duplicate.stderr).toMatch(/user alice already exists/);

    const replaced = cli(['add', 'alice', '--roles', 'editor', '--users-file', usersFile, '--password-stdin', '--replace'], 'a-chosen-passphrase\n');
    expect(replaced.stderr).toBe('');
    expect(replaced.stdout).toBe('replaced user alice with roles editor\n');
    const [alice] = await readUsersFile(usersFile);
    expect(alice!.roles).toEqual(['editor']);
    expect(await verifyPassword('a-chosen-passphrase', alice!.passwordHash)).toBe(true);
  });

  it('refuses a bad name with a non-zero exit and the reason', () => {
    const r = cli(['add', 'bad name', '--users-file', usersFile]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/must be 1–64 of/);
  });

  it('notes a role that is not a preset', () => {
    const r = cli(['add', 'dana', '--roles', 'auditor,my-role', '--users-file', usersFile]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/my-role is not a preset role/);
  });

  it('lists users and roles from the config’s users file, and removes one', async () => {
    await writeFile(
      path.join(dir, 'access-monitor.yaml'),
      'access_monitoring:\n  report_results: file:///tmp/results\naudit_events_uri: parquet:///tmp/events\nauth:\n  mode: local\n  local:\n    users_file: ./team-users.yaml\n',
    );
    expect(cli(['add', 'alice', '--roles', 'auditor', '--config', 'access-monitor.yaml']).status).toBe(0);
    expect(cli(['add', 'visitor']).status).toBe(0); // ./access-monitor.yaml is the default config
    const list = cli(['list']);
    expect(list.status).toBe(0);
    expect(list.stdout).toBe('NAME     ROLES\nalice    auditor\nvisitor  -\n');
    expect(await readFile(path.join(dir, 'team-users.yaml'), 'utf8')).toContain('name: visitor');
    expect(cli(['remove', 'alice']).stdout).toBe('removed user alice\n');
    expect(cli(['list']).stdout).toBe('NAME     ROLES\nvisitor  -\n');
  });

  it('refuses to manage users when the config authenticates through Teleport', async () => {
    await writeFile(
      path.join(dir, 'teleport.yaml'),
      'access_monitoring:\n  report_results: file:///tmp/results\naudit_events_uri: parquet:///tmp/events\nauth:\n  mode: teleport\n  teleport:\n    jwks_url: https://teleport.example.com/.well-known/jwks.json\n    cluster_name: teleport.example.com\n    audience: https://am.example.com\n',
    );
    const r = cli(['list', '--config', 'teleport.yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/managed in Teleport/);
  });
});
