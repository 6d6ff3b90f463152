import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ResponseRecord } from '@access-monitor/contracts';
import { lockUsers } from './teleport-lock';

/** Stands in for tctl: appends its argv as one JSON line, fails for the user "refused". */
const STAND_IN = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
fs.appendFileSync(path.join(__dirname, 'calls.jsonl'), JSON.stringify(args) + '\\n');
if (args.includes('--user=refused')) {
  process.stderr.write('ERROR: access denied to perform action "create" on "lock"\\n' + 'x'.repeat(10000));
  process.exit(3);
}
`;

let dir: string;
let tctlPath: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'am-tctl-'));
  tctlPath = path.join(dir, 'tctl');
  await writeFile(tctlPath, STAND_IN);
  await chmod(tctlPath, 0o755);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await rm(path.join(dir, 'calls.jsonl'), { force: true });
});

async function calls(): Promise<string[][]> {
  const text = await readFile(path.join(dir, 'calls.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as string[]);
}

const LOCK = { rule: 'ssh-without-mfa', ttl: '12h', message: 'SSH without MFA', dryRun: false };

describe('lockUsers', () => {
  it('runs tctl lock once per user with exactly the expected arguments', async () => {
    const records = await lockUsers(['alice'], LOCK, { path: tctlPath, identity_file: '/etc/access-monitor/tctl-identity', auth_server: 'teleport.example.com:443' });

    const expected = ['--identity=/etc/access-monitor/tctl-identity', '--auth-server=teleport.example.com:443', 'lock', '--user=alice', '--message=SSH without MFA', '--ttl=12h'];
    expect(await calls()).toEqual([expected]);
    expect(records).toEqual([{ kind: 'teleport_lock', user: 'alice', dryRun: false, args: expected, exitCode: 0, stderr: '' }]);
    expect(records.map((r) => ResponseRecord.parse(r))).toEqual(records);
  });

  it('passes a hostile user name as one argument, byte for byte', async () => {
    const hostile = 'alice"; rm -rf / #$(id) & `x`';
    const records = await lockUsers([hostile], LOCK, { path: tctlPath });

    const [args] = await calls();
    expect(args).toEqual(['lock', `--user=${hostile}`, '--message=SSH without MFA', '--ttl=12h']);
    expect(Buffer.from(args![1]!)).toEqual(Buffer.from(`--user=${hostile}`));
    expect(records[0]!.exitCode).toBe(0);
  });

  it('locks each distinct, non-empty user once', async () => {
    const records = await lockUsers(['bob', '', 'alice', 'bob', '  '], LOCK, { path: tctlPath });
    expect(records.map((r) => r.user)).toEqual(['bob', 'alice']);
    expect((await calls()).map((args) => args[1])).toEqual(['--user=bob', '--user=alice']);
  });

  it('gives tctl a TTL in days as hours, which Go durations understand', async () => {
    await lockUsers(['alice'], { ...LOCK, ttl: '7d' }, { path: tctlPath });
    expect((await calls())[0]).toContain('--ttl=168h');
  });

  it('names the rule in the lock message when the rule gives none', async () => {
    await lockUsers(['alice'], { rule: 'ssh-without-mfa', ttl: '1h', dryRun: false }, { path: tctlPath });
    expect((await calls())[0]).toContain('--message=Locked by access-monitor response action ssh-without-mfa');
  });

  it('records the arguments of a dry run and runs nothing', async () => {
    const records = await lockUsers(['alice'], { ...LOCK, dryRun: true }, { path: tctlPath });
    expect(records).toEqual([{ kind: 'teleport_lock', user: 'alice', dryRun: true, args: ['lock', '--user=alice', '--message=SSH without MFA', '--ttl=12h'], exitCode: null, stderr: '' }]);
    expect(await calls()).toEqual([]);
  });

  it('records an error for each user when tctl.path is not configured', async () => {
    const records = await lockUsers(['alice', 'bob'], LOCK, undefined);
    expect(records.map((r) => [r.user, r.exitCode, r.error])).toEqual([
      ['alice', null, 'actions.tctl.path is not configured'],
      ['bob', null, 'actions.tctl.path is not configured'],
    ]);
  });

  it('records a failed lock with its exit code and the start of stderr, and goes on with the next user', async () => {
    const records = await lockUsers(['refused', 'alice'], LOCK, { path: tctlPath });
    expect(records[0]).toMatchObject({ user: 'refused', exitCode: 3, error: 'tctl exited with code 3' });
    expect(records[0]!.stderr.startsWith('ERROR: access denied to perform action "create" on "lock"\n')).toBe(true);
    expect(records[0]!.stderr).toHaveLength(4096);
    expect(records[1]).toMatchObject({ user: 'alice', exitCode: 0 });
  });

  it('records a tctl that cannot be started instead of throwing', async () => {
    const records = await lockUsers(['alice'], LOCK, { path: path.join(dir, 'no-such-tctl') });
    expect(records[0]).toMatchObject({ user: 'alice', exitCode: null, error: 'cannot run tctl: ENOENT' });
  });
});
