import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import express from 'express';
import { SignJWT, base64url } from 'jose';
import { pinoHttp } from 'pino-http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProblemTypes } from '@access-monitor/contracts';
import { createFsObjectStore, type ObjectStore } from '@access-monitor/storage';
import { notFoundHandler, problemHandler } from '../http/problem-handler';
import { createLogger } from '../logger';
import type { IdentityProvider } from './identity-provider';
import { Unauthenticated } from './identity-errors';
import { createLocalIdentity, type LocalIdentityOptions } from './local-identity';
import { DEFAULT_SCRYPT } from './password-hash';
import { addUser, removeUser } from './users-file';

const FAST = { N: 2 ** 10, r: 8, p: 1 };
const ALICE_PASSWORD = 'alice-s3cret-passphrase';
const BOB_PASSWORD = 'bob-s3cret-passphrase';
const TTL_MS = 60 * 60_000;

interface Harness {
  url: string;
  identity: IdentityProvider;
  close(): Promise<void>;
}

let dir: string;
let usersFile: string;
let sessionSecretFile: string;
let store: ObjectStore;
let logs: string[];
let clockMs: number;
const harnesses: Harness[] = [];

/** The identity's public routes and a `/whoami` that authenticates, behind the real logger and problem handler. */
async function start(overrides: Partial<LocalIdentityOptions> = {}): Promise<Harness> {
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const identity = await createLocalIdentity({ usersFile, sessionSecretFile, sessionTtlMs: TTL_MS, store, clock: () => new Date(clockMs), logger, ...overrides });
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(pinoHttp({ logger }));
  const api = express.Router();
  api.use(express.json());
  api.use(identity.publicRoutes!());
  api.get('/whoami', async (req, res) => {
    const user = await identity.authenticate(req);
    if (!user) throw new Unauthenticated();
    res.json(user);
  });
  api.use(notFoundHandler);
  app.use('/api/v1', api);
  app.use(problemHandler);
  const server: http.Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const harness = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`,
    identity,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  harnesses.push(harness);
  return harness;
}

function login(h: Harness, username: string, password: string, headers: Record<string, string> = {}) {
  return fetch(`${h.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username, password }) });
}

/** The `am_session=<value>` pair from a login response, ready for a Cookie header. */
function sessionCookie(res: Response): string {
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('am_session='));
  if (!setCookie) throw new Error('no session cookie');
  return setCookie.split(';')[0]!;
}

function whoami(h: Harness, cookie?: string) {
  return fetch(`${h.url}/whoami`, { headers: cookie ? { cookie } : {} });
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-local-identity-'));
  usersFile = path.join(dir, 'users.yaml');
  sessionSecretFile = path.join(dir, 'session.key');
  store = createFsObjectStore(path.join(dir, 'report_results'));
  logs = [];
  clockMs = Date.parse('2026-01-14T12:00:00Z');
  await addUser(usersFile, { name: 'alice', roles: ['auditor'], password: ALICE_PASSWORD }, FAST);
  await addUser(usersFile, { name: 'bob', roles: ['auditor', 'editor'], password: BOB_PASSWORD }, FAST);
});

afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  await rm(dir, { recursive: true, force: true });
});

describe('local identity', () => {
  it('logs in with a HttpOnly SameSite=Strict cookie, then authenticates the user with roles from the users file', async () => {
    const h = await start();
    const res = await login(h, 'alice', ALICE_PASSWORD);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ username: 'alice', roles: ['auditor'], authMode: 'local' });
    const setCookie = res.headers.getSetCookie()[0]!;
    expect(setCookie).toMatch(/^am_session=[\w-]+\.[\w-]+\.[\w-]+;/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain(`Max-Age=${TTL_MS / 1000}`);
    expect(setCookie).not.toContain('Secure');
    expect(res.headers.get('cache-control')).toBe('no-store');

    const me = await whoami(h, sessionCookie(res));
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ username: 'alice', roles: ['auditor'] });
  });

  it('presents the login response through the caller-supplied presenter', async () => {
    const h = await start({ present: (user) => ({ ...user, authMode: 'local', verbs: { audit_query: ['use'] } }) });
    expect(await (await login(h, 'alice', ALICE_PASSWORD)).json()).toEqual({ username: 'alice', roles: ['auditor'], authMode: 'local', verbs: { audit_query: ['use'] } });
  });

  it('marks the cookie Secure with the __Host- prefix when the request came over https through a trusted proxy', async () => {
    const h = await start();
    const res = await login(h, 'alice', ALICE_PASSWORD, { 'x-forwarded-proto': 'https' });
    const setCookie = res.headers.getSetCookie()[0]!;
    expect(setCookie).toMatch(/^__Host-am_session=[\w-]+\.[\w-]+\.[\w-]+;/);
    expect(setCookie).toContain('Secure');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Domain');
    const token = setCookie.split(';')[0]!.split('=')[1]!;
    const https = { 'x-forwarded-proto': 'https' };
    expect((await fetch(`${h.url}/whoami`, { headers: { ...https, cookie: `__Host-am_session=${token}` } })).status).toBe(200);
    // Over https a cookie without the prefix may have been planted by a sibling host or a plain-http response.
    expect((await fetch(`${h.url}/whoami`, { headers: { ...https, cookie: `am_session=${token}` } })).status).toBe(401);
  });

  it('answers a wrong password and an unknown user with the same 401 problem', async () => {
    const h = await start();
    const wrongPassword = await login(h, 'alice', 'not-her-password');
    const unknownUser = await login(h, 'mallory', 'whatever-password');
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(wrongPassword.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = await wrongPassword.json();
    expect(body).toMatchObject({ type: ProblemTypes.unauthenticated, status: 401, detail: 'invalid username or password' });
    expect(await unknownUser.json()).toEqual(body);
    expect(wrongPassword.headers.getSetCookie()).toEqual([]);
  });

  it('keeps answering signed-in users during a flood of wrong logins, refusing the excess with 429 instead of queueing it', async () => {
    await addUser(usersFile, { name: 'carol', roles: ['auditor'], password: 'carol-s3cret-passphrase' }, DEFAULT_SCRYPT);
    const h = await start({ loginLimits: { perUserAndIp: 1000, perIp: 1000, windowSeconds: 900 } });
    const cookie = sessionCookie(await login(h, 'alice', ALICE_PASSWORD));
    let refused = 0;
    let checked = 0;
    let firstAnswer!: () => void;
    const underway = new Promise<void>((resolve) => (firstAnswer = resolve));
    const flood = Array.from({ length: 30 }, async () => {
      const res = await login(h, 'carol', 'carol-wrong-passphrase');
      const problem = (await res.json()) as { type: string };
      if (res.status === 429) {
        expect(problem.type).toBe(ProblemTypes.tooManyRequests);
        expect(res.headers.get('retry-after')).toBe('1');
        refused++;
      } else {
        expect(res.status).toBe(401);
        expect(problem.type).toBe(ProblemTypes.unauthenticated);
        checked++;
      }
      firstAnswer();
    });
    await underway;
    const me = await whoami(h, cookie);
    // Answered while most of the flood's password checks are still waiting, not after them.
    const checkedBeforeMe = checked;
    expect(me.status).toBe(200);
    await Promise.all(flood);
    expect(checkedBeforeMe).toBeLessThan(15);
    expect(refused + checked).toBe(30);
    expect(refused).toBeGreaterThan(0);
  });

  it('refuses a malformed login body with 400', async () => {
    const h = await start();
    const res = await fetch(`${h.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { type: string }).type).toBe(ProblemTypes.invalidRequest);
  });

  it('answers the 6th failed attempt in a row with 429 and Retry-After, even with the right password', async () => {
    const h = await start();
    for (let i = 0; i < 5; i++) expect((await login(h, 'alice', `wrong-${i}`)).status).toBe(401);
    const limited = await login(h, 'alice', ALICE_PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    expect(((await limited.json()) as { type: string }).type).toBe(ProblemTypes.tooManyRequests);
    // Another user from the same address still gets in: the per-user budget is spent, not the address's.
    expect((await login(h, 'bob', BOB_PASSWORD)).status).toBe(200);
  });

  it("lets the right password in from another client after five wrong guesses from one, and keeps limiting the guessing client", async () => {
    const h = await start();
    const guesser = { 'x-forwarded-for': '203.0.113.7' };
    const owner = { 'x-forwarded-for': '198.51.100.20' };
    for (let i = 0; i < 5; i++) expect((await login(h, 'alice', `wrong-${i}`, guesser)).status).toBe(401);
    expect((await login(h, 'alice', ALICE_PASSWORD, owner)).status).toBe(200);
    expect((await login(h, 'alice', ALICE_PASSWORD, guesser)).status).toBe(429);
  });

  it('signs in eight simultaneous correct logins of one user from one address: the limiter counts failures, not attempts', async () => {
    const h = await start();
    const answers = await Promise.all(Array.from({ length: 8 }, () => login(h, 'alice', ALICE_PASSWORD)));
    expect(answers.map((r) => r.status)).toEqual(Array<number>(8).fill(200));
    // Failures are still limited after the burst.
    for (let i = 0; i < 5; i++) expect((await login(h, 'alice', `wrong-${i}`)).status).toBe(401);
    expect((await login(h, 'alice', ALICE_PASSWORD)).status).toBe(429);
  });

  it('limits failed attempts per address across usernames', async () => {
    const h = await start({ loginLimits: { perUserAndIp: 5, perIp: 8, windowSeconds: 900 } });
    for (let i = 0; i < 8; i++) expect((await login(h, `user${i}`, 'wrong-password')).status).toBe(401);
    const limited = await login(h, 'bob', BOB_PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('forgets earlier failures after a successful login', async () => {
    const h = await start();
    for (let i = 0; i < 4; i++) await login(h, 'alice', 'wrong-password');
    expect((await login(h, 'alice', ALICE_PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(h, 'alice', 'wrong-password')).status).toBe(401);
  });

  it('refuses an altered, re-signed or unsigned cookie', async () => {
    const h = await start();
    const cookie = sessionCookie(await login(h, 'alice', ALICE_PASSWORD));
    const [header, payload, signature] = cookie.slice('am_session='.length).split('.');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload!)));
    const asBob = base64url.encode(JSON.stringify({ ...claims, sub: 'bob' }));
    expect((await whoami(h, `am_session=${header}.${asBob}.${signature}`)).status).toBe(401);

    const otherSecret = new TextEncoder().encode('x'.repeat(43));
    const reSigned = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('bob').setIssuedAt().setExpirationTime('1h').sign(otherSecret);
    expect((await whoami(h, `am_session=${reSigned}`)).status).toBe(401);

    const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${asBob}.`;
    expect((await whoami(h, `am_session=${unsigned}`)).status).toBe(401);
    expect((await whoami(h, 'am_session=garbage')).status).toBe(401);
    expect((await whoami(h)).status).toBe(401);
  });

  it('refuses a cookie once it has expired', async () => {
    const h = await start();
    const cookie = sessionCookie(await login(h, 'alice', ALICE_PASSWORD));
    clockMs += TTL_MS - 1000;
    expect((await whoami(h, cookie)).status).toBe(200);
    clockMs += 2000;
    expect((await whoami(h, cookie)).status).toBe(401);
  });

  it('takes role changes and removals from the users file on the next request', async () => {
    const h = await start();
    const cookie = sessionCookie(await login(h, 'alice', ALICE_PASSWORD));
    await addUser(usersFile, { name: 'alice', roles: [], password: ALICE_PASSWORD, replace: true }, FAST);
    expect(await (await whoami(h, cookie)).json()).toEqual({ username: 'alice', roles: [] });
    await removeUser(usersFile, 'alice');
    expect((await whoami(h, cookie)).status).toBe(401);
  });

  it('takes a role removed by an in-place edit of the same size at once, even when the edit keeps the mtime', async () => {
    const old = new Date(Date.now() - 60_000);
    await utimes(usersFile, old, old);
    const h = await start();
    const cookie = sessionCookie(await login(h, 'alice', ALICE_PASSWORD));
    expect(await (await whoami(h, cookie)).json()).toEqual({ username: 'alice', roles: ['auditor'] });
    // Same size, same inode, mtime put back: only the change time tells the file changed.
    const text = await readFile(usersFile, 'utf8');
    await writeFile(usersFile, text.replace('roles: [ auditor ]', 'roles: [ nobody1 ]').replace('roles: [auditor]', 'roles: [nobody1]'));
    await utimes(usersFile, old, old);
    expect((await readFile(usersFile, 'utf8')).length).toBe(text.length);
    expect(await (await whoami(h, cookie)).json()).toEqual({ username: 'alice', roles: ['nobody1'] });
  });

  it('lets a user added after startup log in without a restart', async () => {
    const h = await start();
    await addUser(usersFile, { name: 'carol', roles: ['editor'], password: 'carol-s3cret-passphrase' }, FAST);
    expect((await login(h, 'carol', 'carol-s3cret-passphrase')).status).toBe(200);
  });

  it('refuses a signed-out cookie on every instance sharing the store, while a new sign-in works', async () => {
    const first = await start();
    const second = await start({ revocationCacheMs: 0 });
    const cookie = sessionCookie(await login(first, 'alice', ALICE_PASSWORD));
    const other = sessionCookie(await login(first, 'alice', ALICE_PASSWORD));
    expect((await whoami(second, cookie)).status).toBe(200);
    const out = await fetch(`${first.url}/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(204);
    // The attacker kept a copy of the cookie: it is still signed and unexpired, and refused everywhere.
    expect((await whoami(first, cookie)).status).toBe(401);
    expect((await whoami(second, cookie)).status).toBe(401);
    // Only that session ended: the same user's other session and a fresh sign-in work.
    expect((await whoami(second, other)).status).toBe(200);
    expect((await whoami(first, sessionCookie(await login(first, 'alice', ALICE_PASSWORD)))).status).toBe(200);
    expect(logs.join('')).toContain('logged out');
  });

  it('clears the cookie on logout', async () => {
    const h = await start();
    await login(h, 'alice', ALICE_PASSWORD);
    const res = await fetch(`${h.url}/logout`, { method: 'POST' });
    expect(res.status).toBe(204);
    const cleared = res.headers.getSetCookie()[0]!;
    expect(cleared).toMatch(/^am_session=;/);
    expect(cleared).toContain('Max-Age=0');
    expect(cleared).toContain('HttpOnly');
    expect(cleared).toContain('SameSite=Strict');
  });

  it('accepts cookies issued by another instance sharing the secret file, created 0600', async () => {
    const first = await start();
    const second = await start();
    expect((await stat(sessionSecretFile)).mode & 0o777).toBe(0o600);
    expect((await readFile(sessionSecretFile, 'utf8')).trim()).toMatch(/^[\w-]{43}$/);
    const cookie = sessionCookie(await login(first, 'bob', BOB_PASSWORD));
    expect(await (await whoami(second, cookie)).json()).toEqual({ username: 'bob', roles: ['auditor', 'editor'] });
  });

  it('refuses another instance’s cookie when the secrets differ', async () => {
    const first = await start();
    const second = await start({ sessionSecretFile: path.join(dir, 'other.key') });
    const cookie = sessionCookie(await login(first, 'bob', BOB_PASSWORD));
    expect((await whoami(second, cookie)).status).toBe(401);
  });

  it('never writes the password or the cookie to the logs', async () => {
    const h = await start();
    await login(h, 'alice', 'alice-wrong-passphrase');
    await login(h, ALICE_PASSWORD, ALICE_PASSWORD); // a password typed into the username field
    const res = await login(h, 'alice', ALICE_PASSWORD);
    const token = sessionCookie(res).slice('am_session='.length);
    await whoami(h, `am_session=${token}`);
    await whoami(h, `am_session=${token}x`);
    const text = logs.join('');
    expect(text).toContain('logged in');
    expect(text).toContain('login failed');
    expect(text).toContain('session cookie refused');
    for (const secret of [ALICE_PASSWORD, 'alice-wrong-passphrase', token, token.split('.')[2]!]) expect(text).not.toContain(secret);
  });

  it('refuses to start without a users file, saying how to create one', async () => {
    await rm(usersFile);
    await expect(createLocalIdentity({ usersFile, sessionSecretFile, sessionTtlMs: TTL_MS, store })).rejects.toThrow(/access-monitor users add/);
  });
});
