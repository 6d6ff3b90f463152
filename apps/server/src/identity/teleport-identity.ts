import type { Request } from 'express';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AuthenticatedUser, IdentityProvider } from './identity-provider';

export const TELEPORT_JWT_HEADER = 'Teleport-Jwt-Assertion';

export interface TeleportIdentityOptions {
  /** The cluster's key set, `https://<proxy>/.well-known/jwks.json`. */
  jwksUrl: string;
  /** Expected `iss`: Teleport signs app-access JWTs with the cluster name as issuer. */
  clusterName: string;
  /** Expected `aud`: the URI of this app as registered in Teleport (`app_service.apps[].uri`). */
  audience: string;
  clock?: () => Date;
  /** jose remote key set tuning; the defaults suit production, tests shorten the cooldown. */
  jwks?: { cooldownMs?: number; cacheMaxAgeMs?: number; timeoutMs?: number };
  /** Where key-set fetch failures go when there is no request logger. */
  logger?: Logger;
}

/*
 * Claims of Teleport's app-access JWT, from gravitational/teleport lib/jwt/jwt.go (`Key.Sign`, `Claims`):
 *   sub = username, iss = k.config.ClusterName (the cluster name, not a URL), aud = [p.URI] (the app's URI),
 *   nbf = now - 10 s, iat = now, exp = p.Expires, plus `username` (string), `roles` ([]string) and `traits`.
 * `roles` has no `omitempty` and SignParams.Check no longer requires roles, so a user without roles arrives as
 * `"roles": null`; that means no roles. Teleport's own Verify also expects sub == username.
 */
const TeleportClaims = z.object({
  username: z.string().min(1),
  sub: z.string().optional(),
  roles: z.array(z.string()).nullish(),
});

// Fetch-side failures of the key set: an operator problem, logged at warn; everything else is the token's fault.
const KEY_SET_UNAVAILABLE = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC']);

/**
 * Why a Teleport user arrives without roles, and the fix. Every Teleport user has at least one role, so
 * a JWT without them comes from the app's `rewrite.jwt_claims`: Teleport's app service sets roles to nil
 * for `traits` and `none` before GenerateAppToken (GenerateJWTAndTraits / withJWTTokenForwarder, switch on
 * types.JWTClaimsRewrite*), and lib/jwt/jwt.go then signs `roles` as null (or leaves it out).
 */
export const NO_ROLES_CLAIM_FIX =
  'the Teleport app that serves access-monitor sends no `roles` claim in its JWT (its `rewrite.jwt_claims` is `traits` or `none`); set `rewrite.jwt_claims: roles-and-traits` (the default) or `roles` on that app (`app_service.apps[].rewrite`, or the `app` resource), then open the app again';

/** Users already warned about, so the log says it once per user; bounded so it cannot grow without end. */
const MAX_WARNED_USERS = 10_000;

/**
 * Production mode behind Teleport Application Access: every request carries `Teleport-Jwt-Assertion`, verified
 * against the cluster's JWKS (cached; refetched for an unknown `kid`, at most once per cooldown).
 */
export function createTeleportIdentity(opts: TeleportIdentityOptions): IdentityProvider {
  const now = opts.clock ?? (() => new Date());
  const keySet = createRemoteJWKSet(new URL(opts.jwksUrl), {
    cooldownDuration: opts.jwks?.cooldownMs ?? 30_000,
    cacheMaxAge: opts.jwks?.cacheMaxAgeMs ?? 10 * 60_000,
    timeoutDuration: opts.jwks?.timeoutMs ?? 5_000,
  });

  const warnedNoRoles = new Set<string>();

  async function authenticate(req: Request): Promise<AuthenticatedUser | null> {
    const log = req.log ?? opts.logger;
    const token = req.get(TELEPORT_JWT_HEADER);
    if (!token) {
      log?.debug(`no ${TELEPORT_JWT_HEADER} header`);
      return null;
    }
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        algorithms: ['RS256', 'ES256'],
        issuer: opts.clusterName,
        audience: opts.audience,
        clockTolerance: 60,
        currentDate: now(),
        requiredClaims: ['exp'],
      }));
    } catch (e) {
      const code = e instanceof errors.JOSEError ? e.code : undefined;
      if (code === undefined || KEY_SET_UNAVAILABLE.has(code)) {
        log?.warn({ reason: code ?? (e as Error).name, detail: (e as Error).message, jwksUrl: opts.jwksUrl }, 'cannot fetch the Teleport JWKS');
      } else {
        log?.debug({ reason: code, detail: (e as Error).message }, 'Teleport JWT refused');
      }
      return null;
    }
    const claims = TeleportClaims.safeParse(payload);
    if (!claims.success) {
      log?.debug({ reason: 'claims', detail: claims.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, 'Teleport JWT refused');
      return null;
    }
    const { username, sub, roles } = claims.data;
    if (sub !== undefined && sub !== username) {
      log?.debug({ reason: 'sub differs from username' }, 'Teleport JWT refused');
      return null;
    }
    if (!roles || roles.length === 0) {
      if (!warnedNoRoles.has(username)) {
        if (warnedNoRoles.size >= MAX_WARNED_USERS) warnedNoRoles.clear();
        warnedNoRoles.add(username);
        log?.warn({ user: username, reason: 'no roles claim' }, `Teleport JWT for ${username} has no roles: ${NO_ROLES_CLAIM_FIX}`);
      }
      return { username, roles: [], noRolesClaim: true };
    }
    return { username, roles };
  }

  return { mode: 'teleport', authenticate };
}
