import { promises as dns } from 'node:dns';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';

/** A destination the config does not let the server reach. Never retried. */
export class EgressRefused extends Error {
  override name = 'EgressRefused';
  constructor(
    message: string,
    readonly host: string,
  ) {
    super(message);
  }
}

/** An attempt that got no complete answer: refused, reset, timed out or aborted. */
export class EgressFailed extends Error {
  override name = 'EgressFailed';
  constructor(
    message: string,
    readonly reason: 'network' | 'timeout' | 'aborted',
  ) {
    super(message);
  }
}

export type AddressClass = 'public' | 'unspecified' | 'loopback' | 'private' | 'link-local' | 'cgnat' | 'multicast' | 'reserved';

/** Special-purpose ranges (RFC 6890 and friends); the first match names the class. IPv4-mapped IPv6 matches the IPv4 rows. */
const SPECIAL_RANGES: ReadonlyArray<[AddressClass, string, number, 'ipv4' | 'ipv6']> = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['loopback', '::1', 128, 'ipv6'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['private', 'fc00::', 7, 'ipv6'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['cgnat', '100.64.0.0', 10, 'ipv4'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['multicast', 'ff00::', 8, 'ipv6'],
  ['reserved', '192.0.0.0', 24, 'ipv4'],
  ['reserved', '192.0.2.0', 24, 'ipv4'],
  ['reserved', '198.18.0.0', 15, 'ipv4'],
  ['reserved', '198.51.100.0', 24, 'ipv4'],
  ['reserved', '203.0.113.0', 24, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'],
  ['reserved', '::', 96, 'ipv6'], // deprecated IPv4-compatible addresses
  ['reserved', '100::', 64, 'ipv6'],
  ['reserved', '2001:db8::', 32, 'ipv6'],
];

const RANGE_LISTS = SPECIAL_RANGES.map(([cls, network, prefix, family]) => {
  const list = new net.BlockList();
  list.addSubnet(network, prefix, family);
  return { cls, list };
});

/** Prefixes whose last 32 bits are an IPv4 address a gateway will connect to (NAT64). */
const NAT64 = new net.BlockList();
NAT64.addSubnet('64:ff9b::', 96, 'ipv6');
NAT64.addSubnet('64:ff9b:1::', 48, 'ipv6');

/** Which special-purpose range an IP address is in, or `public`. Throws on a string that is not an IP address. */
export function classifyAddress(address: string): AddressClass {
  const family = net.isIP(address);
  if (family === 0) throw new TypeError(`not an IP address: ${address}`);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const hit = RANGE_LISTS.find(({ list }) => list.check(address, type));
  if (hit) return hit.cls;
  if (type === 'ipv6' && NAT64.check(address, 'ipv6')) return classifyAddress(embeddedIpv4(address));
  return 'public';
}

function embeddedIpv4(ipv6: string): string {
  const url = new URL(`http://[${ipv6}]/`); // the URL parser writes IPv6 in its canonical, compressed form
  const groups = url.hostname.slice(1, -1).split(':');
  const hi = parseInt(groups.at(-2) ?? '0', 16);
  const lo = parseInt(groups.at(-1) ?? '0', 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** Never a sensible TCP peer, whatever allow_private_addresses says. */
const ALWAYS_REFUSED: ReadonlySet<AddressClass> = new Set(['unspecified', 'multicast']);

/**
 * A host as URLs write it, lower-cased, without IPv6 brackets or a trailing dot; IP literals in
 * canonical form (so `0x7f.1` is `127.0.0.1`). Null when it is not a valid host.
 */
export function normalizeHost(host: string): string | null {
  if (!/^[\w.\-:[\]]+$/.test(host)) return null; // no userinfo, path, port or zone id can ride along
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (bare.includes(':')) return net.isIPv6(bare) ? new URL(`http://[${bare}]/`).hostname.slice(1, -1) : null;
  try {
    return new URL(`http://${bare}/`).hostname.replace(/\.$/, '') || null;
  } catch {
    return null;
  }
}

/** `host` is named by `allowed` exactly, or is a subdomain of a `*.domain` entry. IP literals only match exactly. */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = normalizeHost(host);
  if (h === null) return false;
  const isIp = net.isIP(h) !== 0;
  return allowed.some((entry) => {
    if (entry.startsWith('*.')) {
      const domain = normalizeHost(entry.slice(2));
      return !isIp && domain !== null && h.endsWith(`.${domain}`);
    }
    return normalizeHost(entry) === h;
  });
}

export interface EgressPolicy {
  allowedHosts: readonly string[];
  allowPrivateAddresses: boolean;
}

/** Refuses a host whose addresses include any that policy forbids; DNS can hand out a mix to slip one in. */
export function checkResolvedAddresses(host: string, addresses: readonly string[], policy: Pick<EgressPolicy, 'allowPrivateAddresses'>): void {
  if (addresses.length === 0) throw new EgressFailed(`${host} resolved to no address`, 'network');
  for (const address of addresses) {
    const cls = classifyAddress(address);
    if (cls === 'public') continue;
    if (ALWAYS_REFUSED.has(cls) || !policy.allowPrivateAddresses)
      throw new EgressRefused(
        `${host} resolves to ${address}, a ${cls} address; set actions.allow_private_addresses: true to reach receivers on private networks`,
        host,
      );
  }
}

export interface EgressRequest {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  /** From connect to the last byte read. */
  timeoutMs: number;
  maxResponseBytes: number;
  signal?: AbortSignal;
  /** For an HTTP-date Retry-After. */
  now?: () => number;
}

export interface EgressResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The start of the body, at most maxResponseBytes of it, as UTF-8. */
  bodySnippet: string;
  /** The body was longer than maxResponseBytes; the rest was not read. */
  truncated: boolean;
  /** How long the receiver asked us to wait (Retry-After), in ms. */
  retryAfterMs?: number;
}

/**
 * POSTs to a destination the policy allows, connected to the address that was checked (so a DNS
 * answer that changes between the check and the connect cannot redirect it), without following
 * redirects, within a deadline and reading a bounded body.
 */
export async function egressPost(req: EgressRequest, policy: EgressPolicy): Promise<EgressResponse> {
  const url = new URL(req.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new EgressRefused(`only http(s) destinations are allowed, not ${url.protocol}`, url.hostname);
  const host = normalizeHost(url.hostname) ?? url.hostname;
  if (!hostAllowed(host, policy.allowedHosts)) throw new EgressRefused(`the host ${host} is not in actions.allowed_hosts`, host);
  if (req.signal?.aborted) throw new EgressFailed('aborted before sending', 'aborted');

  let resolved: Array<{ address: string; family: number }>;
  try {
    resolved = net.isIP(host) ? [{ address: host, family: net.isIP(host) }] : await dns.lookup(host, { all: true, verbatim: true });
  } catch (e) {
    throw new EgressFailed(`cannot resolve ${host}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'network');
  }
  checkResolvedAddresses(
    host,
    resolved.map((r) => r.address),
    policy,
  );
  // Node connects only to what this returns: the addresses checked above, never a second DNS answer.
  const lookup = ((_hostname, options, callback) => {
    if (options?.all) callback(null, resolved);
    else callback(null, resolved[0]!.address, resolved[0]!.family);
  }) as LookupFunction;

  return new Promise<EgressResponse>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request({
      method: 'POST',
      protocol: url.protocol,
      hostname: host,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      headers: { ...req.headers, 'content-length': String(req.body.length) },
      lookup,
      servername: net.isIP(host) ? undefined : host,
      agent: false, // one connection per attempt, to the address checked for it
    });
    let settled = false;
    const finish = (error: Error | null, response?: EgressResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(response!);
    };
    const timer = setTimeout(() => {
      const error = new EgressFailed(`no complete answer within ${req.timeoutMs} ms`, 'timeout');
      finish(error);
      request.destroy(error);
    }, req.timeoutMs);
    const onAbort = () => {
      const error = new EgressFailed('aborted: the server is shutting down', 'aborted');
      finish(error);
      request.destroy(error);
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });

    request.on('error', (e: NodeJS.ErrnoException) => finish(new EgressFailed(e.code ? `${e.code}: ${e.message}` : e.message, 'network')));
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const done = () =>
        finish(null, {
          statusCode: res.statusCode ?? 0,
          headers: res.headers,
          bodySnippet: Buffer.concat(chunks).toString('utf8'),
          truncated,
          retryAfterMs: parseRetryAfter(res.headers['retry-after'], (req.now ?? Date.now)()),
        });
      res.on('data', (chunk: Buffer) => {
        if (truncated) return;
        const room = req.maxResponseBytes - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          size += room;
          truncated = true;
          done();
          res.destroy(); // the receiver may stream forever; the rest is not ours to read
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', done);
      res.on('error', (e) => finish(new EgressFailed(`response interrupted: ${e.message}`, 'network')));
    });
    request.end(req.body);
  });
}

/** `Retry-After` as delay-seconds or an HTTP-date, in ms from `nowMs`; undefined when absent or malformed. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return undefined; // Date.parse reads bare numbers such as "1.5" as years
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
