import { randomBytes, webcrypto } from 'node:crypto';
import type { Request } from 'express';
import { parse, serialize } from 'cookie';
import { SignJWT, jwtVerify } from 'jose';

/** The session cookie over plain http (the embedded demo on localhost). */
export const SESSION_COOKIE = 'am_session';
/**
 * The session cookie over https: the `__Host-` prefix makes browsers refuse it unless it is Secure, for
 * this host only and Path=/, so a sibling subdomain or a plain-http response cannot plant or overwrite it.
 */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

/** What a valid session token says: who, which session (the id logout revokes), and until when. */
export interface SessionClaims {
  username: string;
  sessionId: string;
  expiresAt: Date;
}

/** `jti` values this server issues: 128 random bits, base64url. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * A compact HS256 JWT: `sub` (username), `jti` (a random session id, so one session can be revoked), `iat`, `exp`.
 * Roles are deliberately absent: they are read from the users file per request.
 */
export async function issueSessionToken(secret: Uint8Array, username: string, now: Date, ttlMs: number): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(username)
    .setJti(randomBytes(16).toString('base64url'))
    .setIssuedAt(iat)
    .setExpirationTime(iat + Math.max(1, Math.floor(ttlMs / 1000)))
    .sign(await hmacKey(secret));
}

// jose imports a raw secret into a key on every call; the secret is read once at start, so its key is made once.
const hmacKeys = new WeakMap<Uint8Array, Promise<webcrypto.CryptoKey>>();
function hmacKey(secret: Uint8Array): Promise<webcrypto.CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    hmacKeys.set(secret, key);
  }
  return key;
}

/** The claims of a valid, unexpired session token; throws (a jose error, or TypeError for a token without a session id) otherwise. */
export async function verifySessionToken(secret: Uint8Array, token: string, now: Date): Promise<SessionClaims> {
  const { payload } = await jwtVerify(token, await hmacKey(secret), { algorithms: ['HS256'], currentDate: now, requiredClaims: ['sub', 'jti', 'iat', 'exp'] });
  if (!SESSION_ID_PATTERN.test(payload.jti!)) throw new TypeError('not a session id');
  return { username: payload.sub!, sessionId: payload.jti!, expiresAt: new Date(payload.exp! * 1000) };
}

/** The session cookie of this scheme only: over https a cookie without the `__Host-` prefix may have been planted. */
export function readSessionCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  return header ? parse(header)[req.secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE] : undefined;
}

/**
 * HttpOnly (no script reads it), SameSite=Strict (no cross-site request carries it), and over https (directly or
 * through a trusted proxy) Secure with the `__Host-` prefix.
 */
export function sessionCookieHeader(token: string, opts: { secure: boolean; maxAgeSeconds: number }): string {
  const name = opts.secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
  return serialize(name, token, { httpOnly: true, sameSite: 'strict', path: '/', secure: opts.secure, maxAge: opts.maxAgeSeconds });
}

export function clearedSessionCookieHeader(opts: { secure: boolean }): string {
  const name = opts.secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
  return serialize(name, '', { httpOnly: true, sameSite: 'strict', path: '/', secure: opts.secure, maxAge: 0, expires: new Date(0) });
}
