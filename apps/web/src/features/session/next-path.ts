import { paths } from '../../lib/paths';

// Any origin would do: it only tells a same-origin relative path from one that leaves the app.
const BASE = 'http://access-monitor.invalid';

/**
 * Where to go after signing in: only a same-origin path (`/…`, never `//host` or `/\host`, which browsers treat as
 * another host), normalised by the URL parser; undefined for anything else, so a crafted link cannot redirect away.
 */
export function safeNextPath(raw: string | null | undefined): string | undefined {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return undefined;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== BASE) return undefined;
  const next = `${url.pathname}${url.search}${url.hash}`;
  // Back to the login page would be a loop.
  return url.pathname === paths.login() ? undefined : next;
}

/** The login page, remembering where the user was going (path and query, so the view is restored). */
export function loginPathFor(location: { pathname: string; search: string }): string {
  const next = `${location.pathname}${location.search}`;
  return next === '/' || location.pathname === paths.login() ? paths.login() : paths.login(next);
}
