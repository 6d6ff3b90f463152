import type { Logger } from 'pino';
import type { Me } from '@access-monitor/contracts';
import type { ObjectStore } from '@access-monitor/storage';
import type { AuthConfig } from '../config/load-config';
import type { AuthenticatedUser, IdentityProvider } from './identity-provider';
import { createLocalIdentity } from './local-identity';
import { createTeleportIdentity } from './teleport-identity';

/** The identity provider `auth.mode` asks for. */
export async function createIdentityForConfig(
  auth: AuthConfig,
  deps: { store: ObjectStore; clock?: () => Date; logger?: Logger; present?: (user: AuthenticatedUser) => Me | Promise<Me> },
): Promise<IdentityProvider> {
  if (auth.mode === 'teleport') {
    return createTeleportIdentity({ jwksUrl: auth.jwksUrl, clusterName: auth.clusterName, audience: auth.audience, clock: deps.clock, logger: deps.logger });
  }
  return createLocalIdentity({ ...auth, store: deps.store, clock: deps.clock, logger: deps.logger, present: deps.present });
}
