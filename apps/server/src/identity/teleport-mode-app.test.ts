import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemTypes } from '@access-monitor/contracts';
import { createDuckDbEngine, type QueryEngine } from '@access-monitor/engine';
import { createRoleRegistry } from '@access-monitor/rbac';
import { createFsObjectStore } from '@access-monitor/storage';
import { createApp } from '../app';
import { embeddedConfig, type AppConfig } from '../config/load-config';
import { createTeleportIdentity } from './teleport-identity';

const CLUSTER = 'teleport.example.com';
const AUDIENCE = 'http://127.0.0.1:8080';
let jwks: http.Server;
let app: http.Server;
let url: string;
let root: string;
let engine: QueryEngine;
let key: { privateKey: CryptoKey; publicKey: CryptoKey };

/** A token as Teleport Application Access signs it (lib/jwt Key.Sign). */
async function token(username: string, roles: string[] | null, overrides: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ username, roles, traits: {}, sub: username, iss: CLUSTER, aud: [AUDIENCE], nbf: now - 10, iat: now, exp: now + 60, ...overrides })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT' })
    .sign(key.privateKey);
}

beforeAll(async () => {
  key = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(key.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  jwks = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
  const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;

  root = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-teleport-'));
  const base = embeddedConfig({ eventsDir: root, resultsDir: path.join(root, 'state'), usersFile: path.join(root, 'unused.yaml') });
  const config: AppConfig = { ...base, auth: { mode: 'teleport', jwksUrl, clusterName: CLUSTER, audience: AUDIENCE } };
  engine = await createDuckDbEngine({ dataDir: root, resultsDir: path.join(root, 'state', 'query-results') });
  const identity = createTeleportIdentity({ jwksUrl, clusterName: CLUSTER, audience: AUDIENCE });
  const server = createApp({ config, engine, store: createFsObjectStore(path.join(root, 'state')), identity, roles: createRoleRegistry([]), logger: pino({ level: 'silent' }) });
  app = server.listen(0, '127.0.0.1');
  await new Promise<void>((r) => app.once('listening', r));
  url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});
afterAll(async () => {
  app?.closeAllConnections();
  await new Promise<void>((r) => app?.close(() => r()));
  await new Promise<void>((r) => jwks?.close(() => r()));
  await engine?.close();
  await rm(root, { recursive: true, force: true });
});

const me = (jwt?: string) => fetch(`${url}/api/v1/me`, { headers: jwt ? { 'teleport-jwt-assertion': jwt } : {} });

describe('behind Teleport Application Access', () => {
  it('takes the user and roles from the signed Teleport-Jwt-Assertion', async () => {
    const res = await me(await token('alice@example.com', ['auditor', 'access']));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ username: 'alice@example.com', roles: ['auditor', 'access'], authMode: 'teleport', verbs: { audit_query: ['list', 'read', 'use'] } });
    const schema = await fetch(`${url}/api/v1/schema`, { headers: { 'teleport-jwt-assertion': await token('alice@example.com', ['auditor']) } });
    expect(schema.status).toBe(200);
  });

  it('answers 401 without a token, with a forged or expired one, and has no login route', async () => {
    const missing = await me();
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { type: string; detail: string }).detail).toMatch(/Teleport Application Access/);
    const valid = await token('alice@example.com', ['editor']);
    const [h, , s] = valid.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ username: 'mallory', roles: ['editor'], sub: 'mallory', iss: CLUSTER, aud: [AUDIENCE], exp: 9e9 })).toString('base64url')}.${s}`;
    expect((await me(forged)).status).toBe(401);
    expect((await me(await token('alice@example.com', ['editor'], { exp: Math.floor(Date.now() / 1000) - 120 }))).status).toBe(401);
    expect((await me(await token('alice@example.com', ['editor'], { aud: ['https://other-app'] }))).status).toBe(401);
    const login = await fetch(`${url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(login.status).toBe(404);
  });

  it('grants nothing for Teleport roles it has no definition of', async () => {
    const jwt = await token('bob@example.com', ['access', 'k8s-admin']);
    const res = await fetch(`${url}/api/v1/usage/overview?days=7`, { headers: { 'teleport-jwt-assertion': jwt } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { type: string }).type).toBe(ProblemTypes.forbidden);
    expect((await me(await token('carol@example.com', null))).status).toBe(200);
  });

  it("answers a 403 naming the missing roles claim and the app's rewrite.jwt_claims when Teleport sends no roles", async () => {
    // `rewrite.jwt_claims: traits` (or `none`) on the Teleport app: the JWT carries no roles.
    for (const jwt of [await token('dave@example.com', null), await token('dave@example.com', [], { roles: undefined })]) {
      const res = await fetch(`${url}/api/v1/usage/overview?days=7`, { headers: { 'teleport-jwt-assertion': jwt } });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      const problem = (await res.json()) as { type: string; title: string; detail: string };
      expect(problem.type).toBe(ProblemTypes.noRolesClaim);
      expect(problem.title).toBe('No roles in the Teleport JWT');
      expect(problem.detail).toMatch(/Teleport sent no roles for dave@example\.com: .*`rewrite\.jwt_claims` is `traits` or `none`.*roles-and-traits/);
    }
  });
});
