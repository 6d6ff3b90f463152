import { existsSync } from 'node:fs';
import express, { Router, type Request } from 'express';
import type { Logger } from 'pino';
import { LoginRequest, type Me } from '@access-monitor/contracts';
import { createLogger } from '../logger';
import type { AuthenticatedUser, IdentityProvider } from './identity-provider';
import { Unauthenticated, TooManyLoginAttempts } from './identity-errors';
import { createLoginLimiter, type LoginLimits } from './login-limiter';
import { decoyHashLike, verifyPassword } from './password-hash';
import { loadSessionSecret } from './session-secret';
import {
  clearedSessionCookieHeader,
  issueSessionToken,
  readSessionCookie,
  sessionCookieHeader,
  verifySessionToken,
} from './session-cookie';
import { UsersFileError, readUsersFile, watchUsersFile } from './users-file';

export interface LocalIdentityOptions {
  usersFile: string;
  sessionSecretFile: string;
  sessionTtlMs: number;
  clock?: () => Date;
  /** Turns the logged-in user into the `POST /login` body (the caller adds `verbs`); default `{ username, roles, authMode }`. */
  present?: (user: AuthenticatedUser) => Me | Promise<Me>;
  /** For events outside a request (users file unreadable); request events go to `req.log`. */
  logger?: Logger;
  loginLimits?: LoginLimits;
}

const INVALID_LOGIN = 'invalid username or password';

/**
 * Embedded mode: users and scrypt hashes in a YAML file, a signed HttpOnly session cookie issued by `POST /login`.
 * The cookie names the user only; roles come from the users file on every request.
 */
export async function createLocalIdentity(opts: LocalIdentityOptions): Promise<IdentityProvider> {
  const now = opts.clock ?? (() => new Date());
  const logger = opts.logger ?? createLogger();
  const present: (user: AuthenticatedUser) => object | Promise<object> =
    opts.present ?? ((user) => ({ username: user.username, roles: user.roles, authMode: 'local' }));
  const secret = await loadSessionSecret(opts.sessionSecretFile);
  await checkUsersFile(opts.usersFile);
  const users = watchUsersFile(opts.usersFile, (err) => logger.error({ err: { name: err.name, message: err.message } }, 'users file unusable'));
  const limiter = createLoginLimiter(opts.loginLimits);

  async function authenticate(req: Request): Promise<AuthenticatedUser | null> {
    const token = readSessionCookie(req);
    if (!token) {
      req.log?.debug('no session cookie');
      return null;
    }
    let username: string;
    try {
      username = await verifySessionToken(secret, token, now());
    } catch (e) {
      req.log?.debug({ reason: (e as { code?: string }).code ?? (e as Error).name }, 'session cookie refused');
      return null;
    }
    const user = (await users()).get(username);
    if (!user) {
      req.log?.debug({ user: username }, 'session for a user no longer in the users file');
      return null;
    }
    return { username: user.name, roles: [...user.roles] };
  }

  function publicRoutes(): Router {
    const router = Router();
    router.use(express.json({ limit: '16kb' }));

    router.post('/login', async (req, res) => {
      const { username, password } = LoginRequest.parse(req.body);
      const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
      try {
        await limiter.attempt(username, ip);
      } catch (e) {
        if (e instanceof TooManyLoginAttempts) {
          req.log?.warn({ retryAfterSeconds: e.retryAfterSeconds }, 'login refused: too many failed attempts');
          res.set('Retry-After', String(e.retryAfterSeconds));
        }
        throw e;
      }
      const all = await users();
      const user = all.get(username);
      // Unknown users cost one scrypt too, so timing does not tell which names exist.
      const ok = await verifyPassword(password, user?.passwordHash ?? decoyHashLike(all.values().next().value?.passwordHash));
      if (!user || !ok) {
        // An unknown "username" may be a password typed in the wrong field: only known names are logged.
        req.log?.info(user ? { user: user.name } : { unknownUser: true }, 'login failed');
        throw new Unauthenticated(INVALID_LOGIN);
      }
      await limiter.succeeded(username, ip);
      const token = await issueSessionToken(secret, user.name, now(), opts.sessionTtlMs);
      res.append('Set-Cookie', sessionCookieHeader(token, { secure: req.secure, maxAgeSeconds: Math.floor(opts.sessionTtlMs / 1000) }));
      res.set('Cache-Control', 'no-store');
      req.log?.info({ user: user.name }, 'logged in');
      res.status(200).json(await present({ username: user.name, roles: [...user.roles] }));
    });

    router.post('/logout', (req, res) => {
      res.append('Set-Cookie', clearedSessionCookieHeader({ secure: req.secure }));
      res.set('Cache-Control', 'no-store');
      res.status(204).end();
    });
    return router;
  }

  return { mode: 'local', authenticate, publicRoutes };
}

/** A missing or broken users file stops startup with a message that says how to create one. */
async function checkUsersFile(file: string): Promise<void> {
  if (!existsSync(file)) {
    throw new UsersFileError(`${file}: no users file; create a user with: access-monitor users add NAME --roles auditor --users-file ${file}`);
  }
  await readUsersFile(file);
}
