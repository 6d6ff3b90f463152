import type { Request } from 'express';
import { parse, serialize } from 'cookie';
import { SignJWT, jwtVerify } from 'jose';

export const SESSION_COOKIE = 'am_session';

/** A compact HS256 JWT: `sub` (username), `iat`, `exp`. Roles are deliberately absent: they are read from the users file per request. */
export async function issueSessionToken(secret: Uint8Array, username: string, now: Date, ttlMs: number): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(username)
    .setIssuedAt(iat)
    .setExpirationTime(iat + Math.max(1, Math.floor(ttlMs / 1000)))
    .sign(secret);
}

/** The username in a valid, unexpired session token; throws (a jose error) otherwise. */
export async function verifySessionToken(secret: Uint8Array, token: string, now: Date): Promise<string> {
  const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], currentDate: now, requiredClaims: ['sub', 'iat', 'exp'] });
  return payload.sub!;
}

export function readSessionCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  return header ? parse(header)[SESSION_COOKIE] : undefined;
}

/** HttpOnly (no script reads it), SameSite=Strict (no cross-site request carries it), Secure whenever the request came over https. */
export function sessionCookieHeader(token: string, opts: { secure: boolean; maxAgeSeconds: number }): string {
  return serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', secure: opts.secure, maxAge: opts.maxAgeSeconds });
}

export function clearedSessionCookieHeader(opts: { secure: boolean }): string {
  return serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', path: '/', secure: opts.secure, maxAge: 0, expires: new Date(0) });
}
