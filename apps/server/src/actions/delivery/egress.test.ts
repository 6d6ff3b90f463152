import { afterEach, describe, expect, it } from 'vitest';
import { checkResolvedAddresses, classifyAddress, EgressFailed, egressPost, EgressRefused, hostAllowed, parseRetryAfter, type EgressPolicy } from './egress';
import { startReceiver, type LoopbackReceiver } from './loopback-receiver';

const receivers: LoopbackReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}

const LOOPBACK_ALLOWED: EgressPolicy = { allowedHosts: ['127.0.0.1', 'localhost'], allowPrivateAddresses: true };
const post = (url: string, policy: EgressPolicy, extra: { timeoutMs?: number; maxResponseBytes?: number } = {}) =>
  egressPost({ url, headers: { 'content-type': 'application/json' }, body: Buffer.from('{}'), timeoutMs: extra.timeoutMs ?? 5_000, maxResponseBytes: extra.maxResponseBytes ?? 65_536 }, policy);

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['0.0.0.0', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['2606:4700:4700::1111', 'public'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'private'],
    ['fd00:ec2::254', 'private'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::808:808', 'public'],
  ])('classifies %s as %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });
});

describe('hostAllowed', () => {
  const allowed = ['hooks.slack.com', '*.pagerduty.com', '127.0.0.1', '[::1]'];
  it.each([
    ['hooks.slack.com', true],
    ['HOOKS.Slack.com.', true],
    ['evil-hooks.slack.com', false],
    ['slack.com', false],
    ['events.pagerduty.com', true],
    ['a.b.pagerduty.com', true],
    ['pagerduty.com', false],
    ['pagerduty.com.evil.example', false],
    ['127.0.0.1', true],
    ['127.0.0.2', false],
    ['0x7f.1', true],
    ['::1', true],
    ['[::1]', true],
  ])('%s → %s', (host, expected) => {
    expect(hostAllowed(host, allowed)).toBe(expected);
  });
});

describe('checkResolvedAddresses', () => {
  it('refuses a host when any one of its addresses is private', () => {
    expect(() => checkResolvedAddresses('mixed.example.com', ['93.184.216.34', '10.0.0.5'], { allowPrivateAddresses: false })).toThrow(EgressRefused);
  });
  it('lets private addresses through when allow_private_addresses is true, but never multicast or unspecified ones', () => {
    expect(() => checkResolvedAddresses('on-prem.example.com', ['10.0.0.5', '127.0.0.1'], { allowPrivateAddresses: true })).not.toThrow();
    expect(() => checkResolvedAddresses('odd.example.com', ['0.0.0.0'], { allowPrivateAddresses: true })).toThrow(EgressRefused);
  });
});

describe('egressPost', () => {
  it('refuses a host not in allowed_hosts without connecting', async () => {
    const r = await receiver();
    const error = await post(`${r.origin}/hook`, { allowedHosts: ['hooks.slack.com'], allowPrivateAddresses: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EgressRefused);
    expect((error as Error).message).toBe('the host 127.0.0.1 is not in actions.allowed_hosts');
    expect(r.connections()).toBe(0);
  });

  it('refuses an allowed host that resolves to loopback unless allow_private_addresses is true', async () => {
    const r = await receiver();
    const refused = await post(`http://localhost:${r.port}/hook`, { allowedHosts: ['localhost'], allowPrivateAddresses: false }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EgressRefused);
    expect((refused as Error).message).toMatch(/^localhost resolves to .+, a loopback address; set actions\.allow_private_addresses/);
    const literal = await post(`${r.origin}/hook`, { allowedHosts: ['127.0.0.1'], allowPrivateAddresses: false }).catch((e: unknown) => e);
    expect(literal).toBeInstanceOf(EgressRefused);
    expect(r.connections()).toBe(0);

    expect((await post(`${r.origin}/hook`, LOOPBACK_ALLOWED)).statusCode).toBe(200);
  });

  it('refuses schemes other than http(s)', async () => {
    await expect(post('ftp://127.0.0.1/x', LOOPBACK_ALLOWED)).rejects.toBeInstanceOf(EgressRefused);
  });

  it('returns a redirect as it came, without following it', async () => {
    const target = await receiver();
    const r = await receiver((_req, res) => res.writeHead(302, { location: `${target.origin}/latest/meta-data` }).end());
    const res = await post(`${r.origin}/hook`, LOOPBACK_ALLOWED);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${target.origin}/latest/meta-data`);
    expect(target.connections()).toBe(0);
  });

  it('reads at most max_response_bytes of the body and stops there', async () => {
    const r = await receiver((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('a'.repeat(10_000));
      res.write('b'.repeat(10_000)); // never ends: only the cap can finish this read
    });
    const res = await post(`${r.origin}/hook`, LOOPBACK_ALLOWED, { maxResponseBytes: 1_000 });
    expect(res.bodySnippet).toBe('a'.repeat(1_000));
    expect(res.truncated).toBe(true);
  });

  it('gives up on a receiver that never answers at the timeout', async () => {
    const r = await receiver(() => {});
    const error = await post(`${r.origin}/hook`, LOOPBACK_ALLOWED, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EgressFailed);
    expect((error as EgressFailed).reason).toBe('timeout');
    expect(r.requests).toHaveLength(1);
  });

  it('sends the body and headers as given, with a Content-Length', async () => {
    const r = await receiver((_req, res) => res.writeHead(201, { 'retry-after': '7' }).end('created'));
    const res = await egressPost(
      { url: `${r.origin}/hook?x=1`, headers: { 'content-type': 'application/json', 'x-test': 'yes' }, body: Buffer.from('{"a":1}'), timeoutMs: 5_000, maxResponseBytes: 100 },
      LOOPBACK_ALLOWED,
    );
    expect(res).toMatchObject({ statusCode: 201, bodySnippet: 'created', truncated: false, retryAfterMs: 7_000 });
    expect(r.requests[0]).toMatchObject({ method: 'POST', path: '/hook?x=1', headers: { 'x-test': 'yes', 'content-length': '7', host: `127.0.0.1:${r.port}` } });
    expect(r.requests[0]!.body.toString()).toBe('{"a":1}');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');
  it.each([
    ['2', 2_000],
    [' 120 ', 120_000],
    ['Sat, 01 Mar 2025 12:00:30 GMT', 30_000],
    ['Sat, 01 Mar 2025 11:00:00 GMT', 0],
    ['soon', undefined],
    ['1.5', undefined],
    [undefined, undefined],
  ])('reads %s as %s ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
