import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword } from './password-hash';
import { UsersFileError, addUser, ensureDemoUsers, readUsersFile, removeUser, watchUsersFile } from './users-file';

// Cheap parameters keep the suite fast; the default parameters are exercised once below.
const FAST = { N: 2 ** 10, r: 8, p: 1 };

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-users-'));
  file = path.join(dir, 'users.yaml');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('password hashes', () => {
  it('are self-describing scrypt strings that verify only the right password', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(new RegExp(`^scrypt\\$N=${DEFAULT_SCRYPT.N},r=${DEFAULT_SCRYPT.r},p=${DEFAULT_SCRYPT.p}\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+$`));
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
    expect(await hashPassword('correct horse battery staple')).not.toBe(hash);
  });

  it('verify with the parameters written in the hash', async () => {
    const hash = await hashPassword('pw-with-fast-params', FAST);
    expect(hash).toContain('N=1024,r=8,p=1');
    expect(await verifyPassword('pw-with-fast-params', hash)).toBe(true);
  });

  it('verify nothing when malformed or with parameters out of bounds', async () => {
    const hash = await hashPassword('pw', FAST);
    expect(await verifyPassword('pw', 'plain-text-pw')).toBe(false);
    expect(await verifyPassword('pw', hash.replace('N=1024', 'N=1000'))).toBe(false);
    expect(await verifyPassword('pw', hash.replace('N=1024', `N=${2 ** 24}`))).toBe(false);
    expect(await verifyPassword('pw', hash.replace('scrypt$', 'bcrypt$'))).toBe(false);
  });
});

describe('users file', () => {
  it('is created 0600 by the first addUser, with a generated password that verifies', async () => {
    const result = await addUser(file, { name: 'alice@example.com', roles: ['auditor'] }, FAST);
    expect(result.replaced).toBe(false);
    expect(result.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const [alice] = await readUsersFile(file);
    expect(alice).toMatchObject({ name: 'alice@example.com', roles: ['auditor'] });
    expect(await verifyPassword(result.generatedPassword!, alice!.passwordHash)).toBe(true);
    expect(await readFile(file, 'utf8')).not.toContain(result.generatedPassword);
  });

  it('refuses a duplicate name unless replace is set, and replace resets password and roles', async () => {
    await addUser(file, { name: 'alice', roles: ['auditor'], password: 'first-password-123' }, FAST);
    await expect(addUser(file, { name: 'alice', roles: ['editor'] }, FAST)).rejects.toThrow(/already exists/);
    const replaced = await addUser(file, { name: 'alice', roles: ['editor'], password: 'second-password-456', replace: true }, FAST);
    expect(replaced).toEqual({ replaced: true });
    const users = await readUsersFile(file);
    expect(users.map((u) => [u.name, u.roles])).toEqual([['alice', ['editor']]]);
    expect(await verifyPassword('second-password-456', users[0]!.passwordHash)).toBe(true);
  });

  it('refuses names outside [a-zA-Z0-9._@-]{1,64} and passwords shorter than 12 characters', async () => {
    await expect(addUser(file, { name: 'bad name', roles: [] }, FAST)).rejects.toBeInstanceOf(UsersFileError);
    await expect(addUser(file, { name: 'a'.repeat(65), roles: [] }, FAST)).rejects.toBeInstanceOf(UsersFileError);
    await expect(addUser(file, { name: 'x:y', roles: [] }, FAST)).rejects.toBeInstanceOf(UsersFileError);
    await expect(addUser(file, { name: 'bob', roles: [], password: 'short' }, FAST)).rejects.toThrow(/at least 12/);
  });

  it('keeps other users, comments and a wider file mode when adding and removing', async () => {
    await writeFile(file, `# team users\nusers:\n  - name: carol\n    password_hash: ${await hashPassword('carol-password-1', FAST)}\n    roles: [editor] # lead\n`, { mode: 0o640 });
    await addUser(file, { name: 'dave', roles: ['auditor', 'custom-role'] }, FAST);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('# team users');
    expect(text).toContain('# lead');
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect((await readUsersFile(file)).map((u) => [u.name, u.roles])).toEqual([
      ['carol', ['editor']],
      ['dave', ['auditor', 'custom-role']],
    ]);
    expect(await removeUser(file, 'carol')).toBe(true);
    expect(await removeUser(file, 'carol')).toBe(false);
    expect((await readUsersFile(file)).map((u) => u.name)).toEqual(['dave']);
  });

  it('names the file and line of an entry it cannot use', async () => {
    await writeFile(file, `users:\n  - name: ok\n    password_hash: ${await hashPassword('x', FAST)}\n  - name: eve\n    password_hash: hunter2\n`);
    await expect(readUsersFile(file)).rejects.toThrow(`${file}:5: users.1.password_hash: expected scrypt$`);
    await writeFile(file, `users:\n  - name: ok\n    role: [auditor]\n    password_hash: ${await hashPassword('x', FAST)}\n`);
    await expect(readUsersFile(file)).rejects.toThrow(/users\.0/);
  });

  it('refuses a name listed twice', async () => {
    const hash = await hashPassword('x', FAST);
    await writeFile(file, `users:\n  - { name: a, password_hash: "${hash}" }\n  - { name: a, password_hash: "${hash}" }\n`);
    await expect(readUsersFile(file)).rejects.toThrow(/a is listed twice/);
  });
});

describe('demo users', () => {
  it('are created once, with random passwords that verify', async () => {
    const demo = await ensureDemoUsers(file, FAST);
    expect(demo.map((u) => [u.name, u.roles])).toEqual([
      ['auditor@demo', ['auditor']],
      ['editor@demo', ['editor']],
      ['visitor@demo', []],
    ]);
    expect(new Set(demo.map((u) => u.password)).size).toBe(3);
    const stored = await readUsersFile(file);
    for (const [i, u] of demo.entries()) expect(await verifyPassword(u.password, stored[i]!.passwordHash)).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await ensureDemoUsers(file, FAST)).toEqual([]);
  });
});

describe('watching the users file', () => {
  it('sees added and removed users on the next call, and no users once the file is gone or broken', async () => {
    const errors: Error[] = [];
    await addUser(file, { name: 'alice', roles: ['auditor'] }, FAST);
    const users = watchUsersFile(file, (e) => errors.push(e));
    expect([...(await users()).keys()]).toEqual(['alice']);
    await addUser(file, { name: 'bob', roles: [] }, FAST);
    expect([...(await users()).keys()]).toEqual(['alice', 'bob']);
    await removeUser(file, 'alice');
    expect([...(await users()).keys()]).toEqual(['bob']);
    await writeFile(file, 'users: [ {');
    expect((await users()).size).toBe(0);
    await rm(file);
    expect((await users()).size).toBe(0);
    expect(errors.map((e) => e.name)).toEqual(['UsersFileError', 'UsersFileError']);
  });
});
