import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Request } from 'express';
import type { Logger } from 'pino';
import type { Me } from '@access-monitor/contracts';
import type { ObjectStore } from '@access-monitor/storage';
import { createLogger } from '../logger';
import type { AuthenticatedUser, IdentityProvider } from './identity-provider';
import { LoginsBusy, Unauthenticated, TooManyLoginAttempts } from './identity-errors';
import { createLoginLimiter, type LoginAttempt, type LoginLimits } from './login-limiter';
import { createPasswordCheckQueue, type PasswordCheckLimits } from './password-check-queue';
import { decoyHashLike, verifyPassword } from './password-hash';
import { loadSessionSecret } from './session-secret';
import {
  clearedSessionCookieHeader,
  issueSessionToken,
  readSessionCookie,
  sessionCookieHeader,
  verifySessionToken,
  type SessionClaims,
} from './session-cookie';
import { createSessionRevocations } from './session-revocations';
import { createSessionRouter, type LocalSessions } from './session-routes';
import { UsersFileError, readUsersFile, watchUsersFile, type LocalUser } from './users-file';

export interface LocalIdentityOptions {
  usersFile: string;
  sessionSecretFile: string;
  sessionTtlMs: number;
  /** report_results: where logouts are recorded, so every instance refuses a signed-out cookie. */
  store: ObjectStore;
  /** How long a "not revoked" answer is trusted here (default 2 s): the delay before another instance's logout applies. */
  revocationCacheMs?: number;
  clock?: () => Date;
  /** Turns the logged-in user into the `POST /login` body (the caller adds `verbs`); default `{ username, roles, authMode }`. */
  present?: (user: AuthenticatedUser) => Me | Promise<Me>;
  /** For events outside a request (users file unreadable); request events go to `req.log`. */
  logger?: Logger;
  loginLimits?: LoginLimits;
  /** Password checks at once and waiting (default 2 and 16). */
  passwordChecks?: PasswordCheckLimits;
}

const INVALID_LOGIN = 'invalid username or password';

/**
 * Embedded mode: users and scrypt hashes in a YAML file, a signed HttpOnly session cookie issued by `POST /login`.
 * The cookie names the user and a session id only; roles come from the users file on every request, and a session
 * ended by `POST /logout` is refused by every instance (a revocation record in the object store).
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
  const passwordChecks = createPasswordCheckQueue(opts.passwordChecks);
  const revocations = createSessionRevocations(opts.store, opts.revocationCacheMs !== undefined ? { cacheMs: opts.revocationCacheMs } : {});

  /** The request's valid, unexpired session, or null. */
  async function sessionOf(req: Request): Promise<SessionClaims | null> {
    const token = readSessionCookie(req);
    if (!token) {
      req.log?.debug('no session cookie');
      return null;
    }
    try {
      return await verifySessionToken(secret, token, now());
    } catch (e) {
      req.log?.debug({ reason: (e as { code?: string }).code ?? (e as Error).name }, 'session cookie refused');
      return null;
    }
  }

  async function authenticate(req: Request): Promise<AuthenticatedUser | null> {
    const session = await sessionOf(req);
    if (!session) return null;
    const { username } = session;
    if (await revocations.isRevoked(session.sessionId)) {
      req.log?.debug({ user: username }, 'session cookie refused: signed out');
      return null;
    }
    const user = (await users()).get(username);
    if (!user) {
      req.log?.debug({ user: username }, 'session for a user no longer in the users file');
      return null;
    }
    return { username: user.name, roles: [...user.roles] };
  }

  const sessions: LocalSessions = {
    async login({ username, password }, from) {
      let attempt: LoginAttempt;
      try {
        attempt = await limiter.attempt(username, from.ip);
      } catch (e) {
        if (e instanceof TooManyLoginAttempts) from.log?.warn({ retryAfterSeconds: e.retryAfterSeconds }, 'login refused: too many failed attempts');
        throw e;
      }
      let user: LocalUser | undefined;
      let ok = false;
      try {
        // Someone is guessing this username from elsewhere: slow every attempt a little rather than lock the owner out.
        if (attempt.backoffMs > 0) await sleep(attempt.backoffMs);
        const all = await users();
        user = all.get(username);
        // Unknown users cost one scrypt too, so timing does not tell which names exist.
        const encoded = user?.passwordHash ?? decoyHashLike(all.values().next().value?.passwordHash);
        try {
          ok = await passwordChecks.run(() => verifyPassword(password, encoded));
        } catch (e) {
          if (e instanceof LoginsBusy) from.log?.warn('login refused: too many password checks at once');
          throw e;
        }
        // Only a checked wrong name or password counts against the limits; a correct one forgets the pair's failures.
        await attempt.finish(Boolean(user) && ok);
      } finally {
        await attempt.finish(undefined);
      }
      if (!user || !ok) {
        // An unknown "username" may be a password typed in the wrong field: only known names are logged.
        from.log?.info(user ? { user: user.name } : { unknownUser: true }, 'login failed');
        throw new Unauthenticated(INVALID_LOGIN);
      }
      const token = await issueSessionToken(secret, user.name, now(), opts.sessionTtlMs);
      from.log?.info({ user: user.name }, 'logged in');
      return {
        cookie: sessionCookieHeader(token, { secure: from.secure, maxAgeSeconds: Math.floor(opts.sessionTtlMs / 1000) }),
        me: await present({ username: user.name, roles: [...user.roles] }),
      };
    },
    async logout(req) {
      const session = await sessionOf(req);
      // The cookie is signed and valid until it expires: clearing it in this browser is not enough.
      if (session) {
        await revocations.revoke(session, now());
        req.log?.info({ user: session.username }, 'logged out');
      }
      return clearedSessionCookieHeader({ secure: req.secure });
    },
  };

  return { mode: 'local', authenticate, publicRoutes: () => createSessionRouter(sessions) };
}

/** A missing or broken users file stops startup with a message that says how to create one. */
async function checkUsersFile(file: string): Promise<void> {
  if (!existsSync(file)) {
    throw new UsersFileError(`${file}: no users file; create a user with: access-monitor users add NAME --roles auditor --users-file ${file}`);
  }
  await readUsersFile(file);
}
