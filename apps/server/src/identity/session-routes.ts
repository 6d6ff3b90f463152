import express, { Router, type Request } from 'express';
import type { Logger } from 'pino';
import { LoginRequest, Me, Problem } from '@access-monitor/contracts';
import { defineRoutes, mountRoutes } from '../http/declare-routes';

/** Local mode's sign-in and sign-out, as the session routes call them. */
export interface LocalSessions {
  /** Checks the password under the login limits; the Set-Cookie header of the new session and the signed-in user. */
  login(credentials: LoginRequest, from: { ip: string; secure: boolean; log?: Logger | undefined }): Promise<{ cookie: string; me: object }>;
  /** Ends the request's session for every instance; the Set-Cookie header that clears the cookie. */
  logout(req: Request): Promise<string>;
}

/** Sign-in routes of local mode; public (they are how one signs in), mounted by the identity provider that has them. */
export const SESSION_ROUTES = defineRoutes<LocalSessions>([
  {
    method: 'POST',
    path: '/login',
    access: { public: true },
    summary: 'Sign in with a local user (local mode)',
    // A login body is two short strings: anything larger is refused before it is parsed.
    guards: [express.json({ limit: '16kb' })],
    body: LoginRequest,
    responses: { 200: Me, 401: Problem, 429: Problem },
    handler: async (sessions, req, res) => {
      const { cookie, me } = await sessions.login(req.body as LoginRequest, { ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', secure: req.secure, log: req.log });
      res.append('Set-Cookie', cookie);
      res.set('Cache-Control', 'no-store');
      res.status(200).json(me);
    },
  },
  {
    method: 'POST',
    path: '/logout',
    access: { public: true },
    summary: 'Sign out: clears the session cookie',
    responses: { 204: null },
    handler: async (sessions, req, res) => {
      res.append('Set-Cookie', await sessions.logout(req));
      res.set('Cache-Control', 'no-store');
      res.status(204).end();
    },
  },
]);

export const createSessionRouter = (sessions: LocalSessions): Router => mountRoutes(Router(), SESSION_ROUTES, sessions);
