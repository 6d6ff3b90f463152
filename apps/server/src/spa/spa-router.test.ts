import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
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
