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
    return { username, roles: roles ?? [] };
  }

  return { mode: 'teleport', authenticate };
}
