import { describe, expect, it } from 'vitest';
import { sessionPlayerUrl } from './session-player';

const player = { proxyUrl: 'https://teleport.example.com', cluster: 'example' };

describe('sessionPlayerUrl', () => {
  it("links a session to Teleport's player in the configured cluster", () => {
    expect(sessionPlayerUrl(player, '9f1c2a4e-0b7d-4c3e-8a61-2f5d9e8b7c10')).toBe(
      'https://teleport.example.com/web/cluster/example/session/9f1c2a4e-0b7d-4c3e-8a61-2f5d9e8b7c10',
    );
  });

  it('keeps a hostile session id inside one path segment', () => {
    const href = sessionPlayerUrl(player, '../../x?y#z')!;
    expect(href).toBe('https://teleport.example.com/web/cluster/example/session/..%2F..%2Fx%3Fy%23z');
    const url = new URL(href);
    expect(url.origin).toBe('https://teleport.example.com');
    expect(url.pathname).toBe('/web/cluster/example/session/..%2F..%2Fx%3Fy%23z');
    expect(url.search).toBe('');
    expect(url.hash).toBe('');
  });

  it('encodes the cluster name too and keeps a proxy path prefix', () => {
    expect(sessionPlayerUrl({ proxyUrl: 'https://example.com/teleport/', cluster: 'a/b c' }, 's1')).toBe('https://example.com/teleport/web/cluster/a%2Fb%20c/session/s1');
  });

  it('gives no link without a player, for dot segments, empty or non-string ids, or a non-web proxy', () => {
    expect(sessionPlayerUrl(undefined, 's1')).toBeUndefined();
    for (const sid of ['', '.', '..', '%2e%2E', null, 42]) expect(sessionPlayerUrl(player, sid)).toBeUndefined();
    expect(sessionPlayerUrl({ proxyUrl: 'javascript:alert(1)', cluster: 'example' }, 's1')).toBeUndefined();
  });
});
