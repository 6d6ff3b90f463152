import http from 'node:http';
import { createPublicKey } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemTypes } from '@access-monitor/contracts';
import { createDuckDbEngine, type QueryEngine } from '@access-monitor/engine';
import { createRoleRegistry } from '@access-monitor/rbac';
import { createFsObjectStore } from '@access-monitor/storage';
import { createApp } from '../app';
import { embeddedConfig, type AppConfig } from '../config/load-config';
import { ROUTE_TABLE } from '../http/route-table';
import { createTeleportIdentity } from '../identity/teleport-identity';
import { expectProblem } from '../testing/expect-problem';
import { TEST_PASSWORD, startTestServer, type TestServer } from '../testing/test-server';
import { recordFigures } from './reliability-figures';

const CLUSTER = 'teleport.example.com';
const AUDIENCE = 'http://127.0.0.1:8080';
const figures = { forgedTokens: 0, csrfWriteRoutes: 0, loginAttemptsBeforeLimit: 0 };

/** A JWKS endpoint on loopback, counting the requests it gets. */
async function serveJwks(keys: JWK[]): Promise<{ server: http.Server; url: string; hits: () => number }> {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`, hits: () => hits };
}

const close = (s: http.Server | undefined) =>
  new Promise<void>((r) => {
    if (!s) return r();
    s.closeAllConnections();
    s.close(() => r());
  });

describe('JWT mode (behind Teleport Application Access)', () => {
  let jwks: Awaited<ReturnType<typeof serveJwks>>;
  let attackerJwks: Awaited<ReturnType<typeof serveJwks>>;
  let app: http.Server;
  let url: string;
  let root: string;
  let engine: QueryEngine;
  let key: { privateKey: CryptoKey; publicKey: CryptoKey };
  let attacker: { privateKey: CryptoKey; publicKey: CryptoKey };

  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const claims = (over: Record<string, unknown> = {}) => ({ username: 'alice', roles: ['editor'], sub: 'alice', iss: CLUSTER, aud: [AUDIENCE], nbf: nowSeconds() - 10, iat: nowSeconds(), exp: nowSeconds() + 60, ...over });
  const sign = (over: Record<string, unknown> = {}, header: Record<string, unknown> = {}, signer: CryptoKey = key.privateKey) =>
    new SignJWT(claims(over)).setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT', ...header } as { alg: string }).sign(signer);
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  /** An RS256 token with any header, signed by hand (jose will not sign what it would not accept). */
  const rawSign = async (header: Record<string, unknown>, payload: Record<string, unknown>) => {
    const input = `${b64(header)}.${b64(payload)}`;
    const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key.privateKey, new TextEncoder().encode(input));
    return `${input}.${Buffer.from(signature).toString('base64url')}`;
  };
  const get = (pathname: string, token: string) => fetch(`${url}/api/v1${pathname}`, { headers: { 'teleport-jwt-assertion': token } });

  beforeAll(async () => {
    key = await generateKeyPair('RS256', { extractable: true });
    attacker = await generateKeyPair('RS256', { extractable: true });
    jwks = await serveJwks([{ ...(await exportJWK(key.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }]);
    attackerJwks = await serveJwks([{ ...(await exportJWK(attacker.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }]);
    root = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-jwt-'));
    const base = embeddedConfig({ eventsDir: root, resultsDir: path.join(root, 'state'), usersFile: path.join(root, 'unused.yaml') });
    const config: AppConfig = { ...base, auth: { mode: 'teleport', jwksUrl: jwks.url, clusterName: CLUSTER, audience: AUDIENCE } };
    engine = await createDuckDbEngine({ dataDir: root, resultsDir: path.join(root, 'state', 'query-results') });
    const identity = createTeleportIdentity({ jwksUrl: jwks.url, clusterName: CLUSTER, audience: AUDIENCE, jwks: { cooldownMs: 0 } });
    const server = createApp({ config, engine, store: createFsObjectStore(path.join(root, 'state')), identity, roles: createRoleRegistry([]), logger: pino({ level: 'silent' }) });
    app = server.listen(0, '127.0.0.1');
    await new Promise<void>((r) => app.once('listening', r));
    url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await Promise.all([close(app), close(jwks?.server), close(attackerJwks?.server)]);
    await engine?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('accepts a token as Teleport signs it (the control case)', async () => {
    expect((await get('/schema', await sign())).status).toBe(200);
  });

  it('refuses forged, expired and misdirected tokens with 401, never falling back to an identity', async () => {
    const valid = await sign();
    const [, payload] = valid.split('.');
    const publicPem = await exportSPKI(key.publicKey);
    const forged: Record<string, string> = {
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      'alg none, signature kept': `${b64({ alg: 'none', kid: 'k1' })}.${payload}.${valid.split('.')[2]}`,
      'HS256 keyed with the public key (PEM)': await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).sign(new TextEncoder().encode(publicPem)),
      'HS256 keyed with the public key (DER)': await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
        .sign(new Uint8Array(createPublicKey(publicPem).export({ type: 'spki', format: 'der' }))),
      expired: await sign({ exp: nowSeconds() - 120 }),
      'not yet valid': await sign({ nbf: nowSeconds() + 120 }),
      'issued without exp': await new SignJWT({ ...claims(), exp: undefined }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(key.privateKey),
      'wrong audience': await sign({ aud: ['https://other-app.example.com'] }),
      'wrong issuer': await sign({ iss: 'evil.example.com' }),
      'unknown kid': await sign({}, { kid: 'k-unknown' }, attacker.privateKey),
      "the attacker's key under the real kid": await sign({}, {}, attacker.privateKey),
      "a jku pointing at the attacker's key set": await sign({}, { jku: attackerJwks.url }, attacker.privateKey),
      'an embedded jwk': await sign({}, { jwk: await exportJWK(attacker.publicKey) }, attacker.privateKey),
      'username differs from sub': await sign({ username: 'admin' }),
      'payload swapped after signing': `${valid.split('.')[0]}.${b64({ ...claims(), username: 'mallory', sub: 'mallory' })}.${valid.split('.')[2]}`,
      'roles claim is a string': await sign({ roles: 'editor' }),
      'roles claim is an object': await sign({ roles: { 0: 'editor' } }),
      'unknown critical header': await rawSign({ alg: 'RS256', kid: 'k1', crit: ['x-unknown'], 'x-unknown': 1 }, claims()),
      'alg RS256 header, unsigned': `${b64({ alg: 'RS256', kid: 'k1' })}.${payload}.`,
      'not a JWT': 'Bearer abc',
      'empty segments': '..',
    };
    for (const [what, token] of Object.entries(forged)) {
      figures.forgedTokens++;
      const res = await get('/schema', token);
      expect(res.status, what).toBe(401);
      expect((await res.json()) as { type: string }, what).toMatchObject({ type: ProblemTypes.unauthenticated });
    }
    expect(attackerJwks.hits()).toBe(0);
  });

  it('gives a token without a roles claim no access, saying why', async () => {
    const { roles: _none, ...withoutRoles } = claims();
    const token = await new SignJWT(withoutRoles).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(key.privateKey);
    figures.forgedTokens++;
    await expectProblem(await get('/schema', token), 403, ProblemTypes.noRolesClaim);
    await expectProblem(await get('/schema', await sign({ roles: [] })), 403, ProblemTypes.noRolesClaim);
  });

  it('refuses a 64 KB token before it reaches the verifier, with a 4xx', async () => {
    figures.forgedTokens++;
    const res = await get('/schema', await sign({ padding: 'x'.repeat(64 * 1024) }));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('local sign-in', () => {
  let t: TestServer;
  let proxied: TestServer;
  const login = (server: TestServer, username: string, password: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username, password }) });
  const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!;
  const whoAmI = async (cookie: string) => {
    const res = await fetch(`${t.url}/api/v1/me`, { headers: { cookie } });
    return res.status === 200 ? ((await res.json()) as { username: string }).username : res.status;
  };

  beforeAll(async () => {
    [t, proxied] = await Promise.all([startTestServer({ days: 3, events: 300 }), startTestServer({ days: 3, events: 300, server: { trustedProxies: ['loopback'] } })]);
  });
  afterAll(async () => {
    await Promise.all([t?.close(), proxied?.close()]);
  });

  it('locks a user and address out after 5 failed sign-ins, the right password included, but not other users', async () => {
    let attempts = 0;
    for (; attempts < 10; attempts++) {
      const res = await login(t, 'visitor', `guess ${attempts}`);
      if (res.status === 429) break;
      await expectProblem(res, 401, ProblemTypes.unauthenticated);
    }
    figures.loginAttemptsBeforeLimit = attempts;
    expect(attempts).toBe(5);
    const locked = await login(t, 'visitor', TEST_PASSWORD);
    await expectProblem(locked, 429, ProblemTypes.tooManyRequests);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login(t, 'reporter', TEST_PASSWORD)).status).toBe(200);
  });

  it('issues a fresh session at sign-in whatever cookie the browser already had (no session fixation)', async () => {
    const planted = cookieOf(await login(t, 'auditor', TEST_PASSWORD)); // the attacker's own valid session
    const res = await login(t, 'editor', TEST_PASSWORD, { cookie: planted });
    const issued = cookieOf(res);
    expect(issued).not.toBe(planted);
    expect(await whoAmI(issued)).toBe('editor');
    expect(await whoAmI(planted)).toBe('auditor'); // signing in did not promote the planted session
    const chosen = 'am_session=attacker-chosen-value';
    expect(cookieOf(await login(t, 'editor', TEST_PASSWORD, { cookie: chosen }))).not.toBe(chosen);
    expect(await whoAmI(chosen)).toBe(401);
    // Two sign-ins are two sessions: signing one out leaves the other.
    const second = cookieOf(await login(t, 'editor', TEST_PASSWORD));
    expect(second).not.toBe(issued);
    expect((await fetch(`${t.url}/api/v1/logout`, { method: 'POST', headers: { cookie: issued } })).status).toBe(204);
    expect(await whoAmI(issued)).toBe(401);
    expect(await whoAmI(second)).toBe('editor');
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, Path=/, and over https Secure with the __Host- prefix', async () => {
    const plain = (await login(t, 'editor', TEST_PASSWORD)).headers.get('set-cookie')!;
    expect(plain).toMatch(/^am_session=[^;]+;/);
    for (const flag of [/; HttpOnly/i, /; SameSite=Strict/i, /; Path=\//i, /; Max-Age=\d+/i]) expect(plain).toMatch(flag);
    expect(plain).not.toMatch(/; Secure/i);
    const https = (await login(proxied, 'editor', TEST_PASSWORD, { 'x-forwarded-proto': 'https' })).headers.get('set-cookie')!;
    expect(https).toMatch(/^__Host-am_session=[^;]+;/);
    for (const flag of [/; HttpOnly/i, /; SameSite=Strict/i, /; Path=\//i, /; Secure/i]) expect(https).toMatch(flag);
    expect(https).not.toMatch(/; Domain=/i);
    const cleared = (await fetch(`${t.url}/api/v1/logout`, { method: 'POST', headers: { cookie: cookieOf(await login(t, 'editor', TEST_PASSWORD)) } })).headers.get('set-cookie')!;
    expect(cleared).toMatch(/^am_session=;.*Max-Age=0/i);
  });

  it('refuses every write route from a foreign origin, with the session cookie, changing nothing', async () => {
    const writes = [...new Map(ROUTE_TABLE.filter((r) => r.method !== 'GET').map((r) => [`${r.method} ${r.path}`, r])).values()];
    const cookie = cookieOf(await login(t, 'editor', TEST_PASSWORD));
    const fill = (p: string) => p.replace(':name', 'csrf-probe').replace(':id', 'x').replace(':runId', 'x');
    for (const route of writes) {
      const foreignRequests: Array<Record<string, string>> = [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }];
      for (const foreign of foreignRequests) {
        const res = await fetch(`${t.url}/api/v1${fill(route.path)}`, {
          method: route.method,
          headers: { cookie, 'content-type': 'application/json', 'if-none-match': '*', ...foreign },
          body: JSON.stringify({ title: 'csrf', sql: 'SELECT 1', days: 7, username: 'editor', password: TEST_PASSWORD, test: true }),
        });
        await expectProblem(res, 403, ProblemTypes.forbidden);
      }
      figures.csrfWriteRoutes++;
    }
    // Nothing was written, and the session still works (the forged logout did not sign it out).
    expect((await fetch(`${t.url}/api/v1/queries/csrf-probe`, { headers: { cookie } })).status).toBe(404);
    expect(await whoAmI(cookie)).toBe('editor');
    // The same request from the dashboard's own origin goes through.
    const own = await fetch(`${t.url}/api/v1/queries/csrf-probe`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json', 'if-none-match': '*', origin: t.url, 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ title: 'same origin', sql: 'SELECT 1 AS x' }),
    });
    expect(own.status).toBe(201);
    await recordFigures('auth', figures);
  });
});
