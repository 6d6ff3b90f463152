import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Request } from 'express';
import { SignJWT, base64url, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import type { IdentityProvider } from './identity-provider';
import { createTeleportIdentity } from './teleport-identity';

const CLUSTER = 'teleport.example.com';
const AUDIENCE = 'http://access-monitor.internal:8080';
const NOW = new Date('2026-01-14T12:00:00Z');
const now = Math.floor(NOW.getTime() / 1000);

let server: http.Server;
let jwksUrl: string;
let served: JWK[] = [];
let fetches = 0;
let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
let rsaNext: { privateKey: CryptoKey; publicKey: CryptoKey };
let ec: { privateKey: CryptoKey; publicKey: CryptoKey };
let rsaJwk: JWK;
let ecJwk: JWK;
let logs: string[];
let identity: IdentityProvider;

function request(token?: string): Request {
  const headers: Record<string, string> = token === undefined ? {} : { 'teleport-jwt-assertion': token };
  return { headers, get: (name: string) => headers[name.toLowerCase()] } as unknown as Request;
}

/** What Teleport's lib/jwt Key.Sign produces: sub = username, iss = cluster name, aud = [app URI], nbf = now - 10 s. */
function teleportClaims(overrides: JWTPayload = {}): JWTPayload {
  return {
    username: 'alice@example.com',
    roles: ['auditor', 'access'],
    traits: { logins: ['alice'] },
    sub: 'alice@example.com',
    iss: CLUSTER,
    aud: [AUDIENCE],
    nbf: now - 10,
    iat: now,
    exp: now + 60,
    ...overrides,
  };
}

function sign(claims: JWTPayload, key: CryptoKey, header: { alg: string; kid?: string }): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ typ: 'JWT', ...header }).sign(key);
}

const rsaToken = (overrides: JWTPayload = {}) => sign(teleportClaims(overrides), rsa.privateKey, { alg: 'RS256', kid: 'rsa-1' });

beforeAll(async () => {
  rsa = await generateKeyPair('RS256', { extractable: true });
  rsaNext = await generateKeyPair('RS256', { extractable: true });
  ec = await generateKeyPair('ES256', { extractable: true });
  rsaJwk = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' };
  ecJwk = { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' };
  server = http.createServer((_req, res) => {
    fetches++;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ keys: served }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  served = [rsaJwk, ecJwk];
  fetches = 0;
  logs = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  identity = createTeleportIdentity({
    jwksUrl,
    clusterName: CLUSTER,
    audience: AUDIENCE,
    clock: () => NOW,
    jwks: { cooldownMs: 0 },
    logger: createLogger({ level: 'debug', destination }),
  });
});

describe('Teleport identity', () => {
  it('accepts an RS256 assertion and takes username and roles from its claims', async () => {
    expect(identity.mode).toBe('teleport');
    expect(await identity.authenticate(request(await rsaToken()))).toEqual({ username: 'alice@example.com', roles: ['auditor', 'access'] });
  });

  it('accepts an ES256 assertion', async () => {
    const token = await sign(teleportClaims({ username: 'bob', sub: 'bob', roles: ['editor'] }), ec.privateKey, { alg: 'ES256', kid: 'ec-1' });
    expect(await identity.authenticate(request(token))).toEqual({ username: 'bob', roles: ['editor'] });
  });

  it('fetches the key set once and serves later requests from the cache', async () => {
    for (let i = 0; i < 3; i++) expect(await identity.authenticate(request(await rsaToken()))).not.toBeNull();
    expect(fetches).toBe(1);
  });

  it('gives a user whose JWT has no roles claim (absent, null or empty) no roles, flagged as a missing claim', async () => {
    const { roles: _omitted, ...withoutRoles } = teleportClaims();
    const expected = { username: 'alice@example.com', roles: [], noRolesClaim: true };
    expect(await identity.authenticate(request(await sign(withoutRoles, rsa.privateKey, { alg: 'RS256', kid: 'rsa-1' })))).toEqual(expected);
    expect(await identity.authenticate(request(await rsaToken({ roles: null as unknown as string[] })))).toEqual(expected);
    expect(await identity.authenticate(request(await rsaToken({ roles: [] })))).toEqual(expected);
    expect(await identity.authenticate(request(await rsaToken()))).not.toHaveProperty('noRolesClaim');
  });

  it("logs once per user that the Teleport app sends no roles claim and how to fix the app's rewrite.jwt_claims", async () => {
    // Teleport's app service with `rewrite.jwt_claims: traits` signs the username and traits only.
    const traitsOnly = (username: string) => rsaToken({ username, sub: username, roles: undefined });
    for (let i = 0; i < 3; i++) await identity.authenticate(request(await traitsOnly('alice@example.com')));
    await identity.authenticate(request(await traitsOnly('bob')));
    const warnings = logs.map((l) => JSON.parse(l) as { level: number; msg: string; user?: string }).filter((l) => l.level === 40);
    expect(warnings.map((w) => w.user)).toEqual(['alice@example.com', 'bob']);
    expect(warnings[0]!.msg).toMatch(/no roles.*`rewrite\.jwt_claims` is `traits` or `none`.*`rewrite\.jwt_claims: roles-and-traits`/);
  });

  it('refuses roles that are not a list of strings, a missing username, and a sub that differs from it', async () => {
    expect(await identity.authenticate(request(await rsaToken({ roles: 'editor' as unknown as string[] })))).toBeNull();
    expect(await identity.authenticate(request(await rsaToken({ roles: ['auditor', 7] as unknown as string[] })))).toBeNull();
    expect(await identity.authenticate(request(await rsaToken({ username: undefined })))).toBeNull();
    expect(await identity.authenticate(request(await rsaToken({ sub: 'mallory' })))).toBeNull();
  });

  it('accepts a token expired or not yet valid by less than 60 s of clock skew', async () => {
    expect(await identity.authenticate(request(await rsaToken({ exp: now - 45 })))).not.toBeNull();
    expect(await identity.authenticate(request(await rsaToken({ nbf: now + 45, iat: now + 45, exp: now + 120 })))).not.toBeNull();
  });

  it('refuses a token expired or not yet valid beyond the 60 s skew', async () => {
    expect(await identity.authenticate(request(await rsaToken({ exp: now - 90 })))).toBeNull();
    expect(await identity.authenticate(request(await rsaToken({ nbf: now + 90, exp: now + 180 })))).toBeNull();
  });

  it('refuses a token without an expiry', async () => {
    expect(await identity.authenticate(request(await rsaToken({ exp: undefined })))).toBeNull();
  });

  it('refuses a token for another app (audience) or from another cluster (issuer)', async () => {
    expect(await identity.authenticate(request(await rsaToken({ aud: ['http://grafana.internal:3000'] })))).toBeNull();
    expect(await identity.authenticate(request(await rsaToken({ iss: 'other.teleport.example.com' })))).toBeNull();
  });

  it('refuses an unknown kid, then accepts it once the rotated key is served', async () => {
    const rotated = await sign(teleportClaims(), rsaNext.privateKey, { alg: 'RS256', kid: 'rsa-2' });
    expect(await identity.authenticate(request(rotated))).toBeNull();
    served = [rsaJwk, { ...(await exportJWK(rsaNext.publicKey)), kid: 'rsa-2', alg: 'RS256', use: 'sig' }];
    const before = fetches;
    expect(await identity.authenticate(request(rotated))).toEqual({ username: 'alice@example.com', roles: ['auditor', 'access'] });
    expect(fetches).toBe(before + 1);
  });

  it('does not refetch the key set for unknown kids within the cooldown', async () => {
    const cooling = createTeleportIdentity({ jwksUrl, clusterName: CLUSTER, audience: AUDIENCE, clock: () => NOW });
    expect(await cooling.authenticate(request(await rsaToken()))).not.toBeNull();
    const unknown = await sign(teleportClaims(), rsaNext.privateKey, { alg: 'RS256', kid: 'no-such-key' });
    for (let i = 0; i < 5; i++) expect(await cooling.authenticate(request(unknown))).toBeNull();
    expect(fetches).toBe(1);
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const [header, , signature] = (await rsaToken()).split('.');
    const altered = base64url.encode(JSON.stringify(teleportClaims({ roles: ['editor'] })));
    expect(await identity.authenticate(request(`${header}.${altered}.${signature}`))).toBeNull();
  });

  it('refuses an unsigned token (alg none)', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const payload = base64url.encode(JSON.stringify(teleportClaims()));
    expect(await identity.authenticate(request(`${header}.${payload}.`))).toBeNull();
  });

  it('refuses HS256 signed with the RSA public key as the HMAC secret (algorithm confusion)', async () => {
    const publicPem = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
    const forged = await sign(teleportClaims({ roles: ['editor'] }), publicPem as unknown as CryptoKey, { alg: 'HS256', kid: 'rsa-1' });
    expect(await identity.authenticate(request(forged))).toBeNull();
  });

  it('refuses a key the cluster does not publish even when the kid matches', async () => {
    const impostor = await generateKeyPair('RS256');
    expect(await identity.authenticate(request(await sign(teleportClaims(), impostor.privateKey, { alg: 'RS256', kid: 'rsa-1' })))).toBeNull();
  });

  it('returns null for no header and for a header that is not a JWT', async () => {
    expect(await identity.authenticate(request())).toBeNull();
    expect(await identity.authenticate(request('not-a-jwt'))).toBeNull();
    expect(await identity.authenticate(request('a.b.c'))).toBeNull();
  });

  it('logs why a token was refused, never the token itself', async () => {
    const expired = await rsaToken({ exp: now - 600 });
    expect(await identity.authenticate(request(expired))).toBeNull();
    const text = logs.join('');
    expect(text).toContain('Teleport JWT refused');
    expect(text).toContain('ERR_JWT_EXPIRED');
    expect(text).not.toContain(expired.split('.')[2]);
    expect(text).not.toContain(expired.split('.')[1]);
  });

  it('returns null and warns when the key set cannot be fetched', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const destination = new Writable({
      write(chunk, _enc, cb) {
        logs.push(String(chunk));
        cb();
      },
    });
    const unreachable = createTeleportIdentity({
      jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      clusterName: CLUSTER,
      audience: AUDIENCE,
      clock: () => NOW,
      logger: createLogger({ level: 'info', destination }),
    });
    expect(await unreachable.authenticate(request(await rsaToken()))).toBeNull();
    expect(logs.join('')).toContain('cannot fetch the Teleport JWKS');
  });
});
