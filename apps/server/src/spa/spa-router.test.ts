import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/test-server';

let t: TestServer;
let webDist: string;
beforeAll(async () => {
  webDist = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-web-'));
  await writeFile(path.join(webDist, 'index.html'), '<!doctype html><html><head><meta name="csp-nonce" content="" /></head><body><div id="root"></div></body></html>');
  t = await startTestServer({ days: 1, events: 20, webDist });
});
afterAll(async () => {
  await t?.close();
  await rm(webDist, { recursive: true, force: true });
});

describe('the dashboard page', () => {
  it("carries the response's CSP style nonce, fresh on every load, for the styles the SQL editor injects", async () => {
    const nonceOf = async () => {
      const res = await fetch(`${t.url}/queries/new`);
      expect(res.status).toBe(200);
      const header = /style-src 'self' 'nonce-([^']+)'/.exec(res.headers.get('content-security-policy')!)![1];
      const meta = /<meta name="csp-nonce" content="([^"]*)"/.exec(await res.text())![1];
      expect(meta).toBe(header);
      return meta;
    };
    expect(await nonceOf()).not.toBe(await nonceOf());
  });
});

describe('compression', () => {
  const asset = `export const x = ${JSON.stringify('audit '.repeat(2000))};\n`;
  beforeAll(async () => {
    await mkdir(path.join(webDist, 'assets'), { recursive: true });
    const file = path.join(webDist, 'assets', 'index-abc.js');
    await writeFile(file, asset);
    await writeFile(`${file}.br`, brotliCompressSync(asset));
    await writeFile(`${file}.gz`, gzipSync(asset));
  });

  it('sends a built JS asset precompressed as br or gzip when the client accepts it, and plain when not', async () => {
    const get = (encoding: string) => fetch(`${t.url}/assets/index-abc.js`, { headers: { 'accept-encoding': encoding } });
    for (const [accept, expected] of [['br, gzip', 'br'], ['gzip', 'gzip'], ['identity', null]] as const) {
      const res = await get(accept);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe(expected);
      expect(res.headers.get('content-type')).toMatch(/javascript/);
      expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
      expect(await res.text()).toBe(asset);
    }
  });

  it('compresses a JSON API answer when the client accepts it, and not when it does not', async () => {
    const get = (encoding: string) => fetch(`${t.url}/api/v1/openapi.json`, { headers: { 'accept-encoding': encoding } });
    const br = await get('br');
    expect(br.headers.get('content-encoding')).toBe('br');
    const gzip = await get('gzip');
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    const plain = await get('identity');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await br.json()).toEqual(await plain.json());
  });
});
