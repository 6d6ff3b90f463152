import { sessionPlayerUrl } from '../lib/session-player';
import { useMe } from '../lib/session/use-me';

/** "Play in Teleport" for a session id, in a new tab; nothing unless the server names Teleport's proxy (`teleport.proxy_url`). */
export function PlayInTeleportLink({ sid }: { sid: unknown }) {
  const href = sessionPlayerUrl(useMe().data?.sessionPlayer, sid);
  if (href === undefined) return null;
  return (
    <a className="play-in-teleport" href={href} target="_blank" rel="noopener" title={`Play session ${String(sid)} in Teleport`} data-testid="play-in-teleport">
      Play in Teleport
    </a>
  );
}
