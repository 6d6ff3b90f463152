import type { Me } from '@access-monitor/contracts';

export type SessionPlayer = NonNullable<Me['sessionPlayer']>;

/** Columns whose values are Teleport session ids. */
export const SESSION_ID_COLUMNS: readonly string[] = ['sid', 'session_id'];

/**
 * Teleport's recording player for a session, or undefined when no player is configured or the id cannot be one path
 * segment. The route is `player: '/web/cluster/:clusterId/session/:sid'` in gravitational/teleport
 * web/packages/teleport/src/config.ts.
 */
export function sessionPlayerUrl(player: SessionPlayer | undefined, sid: unknown): string | undefined {
  if (!player || typeof sid !== 'string' || !isSegment(sid) || !isSegment(player.cluster)) return undefined;
  let base: URL;
  try {
    base = new URL(player.proxyUrl);
  } catch {
    return undefined;
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') return undefined;
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${prefix}/web/cluster/${encodeURIComponent(player.cluster)}/session/${encodeURIComponent(sid)}`;
}

/** `.` and `..` survive encodeURIComponent and URL parsers resolve them (also as %2e), so they are never a segment. */
const isSegment = (value: string): boolean => value !== '' && !/^(\.|%2e)+$/i.test(value);
