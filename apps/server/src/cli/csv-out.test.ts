import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { athenaRowOf, writeAthenaParquet, type AuditEvent } from '@access-monitor/audit-log';
import { csvField } from './csv-out';
import { queryCommand } from './query-command';
import { reportCommand } from './report-command';

// Text an attacker put in the audit log (a user name, a node's host name) that a spreadsheet would run.
const EVIL_USER = '=HYPERLINK("http://evil.example","click")';
const EVIL_HOST = "+cmd|' /C calc'!A0";
const EVENT: AuditEvent = {
  ei: 0,
  event: 'session.start',
  uid: '00000000-0000-4000-8000-000000000001',
  code: 'T2000I',
  time: '2026-01-12T10:00:00.000Z',
  cluster_name: 'acme.teleport.sh',
  user: EVIL_USER,
  sid: 's-evil',
  login: 'root',
  server_hostname: EVIL_HOST,
  server_id: 'srv-1',
  proto: 'ssh',
  'addr.remote': '198.51.100.20:53124',
};

let dir: string;
let data: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-csv-out-'));
  data = path.join(dir, 'events');
  await writeAthenaParquet(data, [athenaRowOf(EVENT, Date.parse(EVENT.time))]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function output(run: (out: Writable) => Promise<void>): Promise<string> {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  await run(out);
  return text;
}

const SQL = 'SELECT "user", server_hostname, -3 AS delta FROM session_start';

describe('CSV on the command line', () => {
  it("neutralises an attacker's formula in `query` output, and --raw keeps it exactly", async () => {
    const safe = await output((out) => queryCommand(['--data', data, '--start', '2026-01-12', '--end', '2026-01-12', SQL], out));
    expect(safe).toBe(`user,server_hostname,delta\r\n"'=HYPERLINK(""http://evil.example"",""click"")","'+cmd|' /C calc'!A0",-3\r\n`);
    const raw = await output((out) => queryCommand(['--data', data, '--start', '2026-01-12', '--end', '2026-01-12', '--raw', SQL], out));
    expect(raw).toBe(`user,server_hostname,delta\r\n"=HYPERLINK(""http://evil.example"",""click"")",+cmd|' /C calc'!A0,-3\r\n`);
  });

  it('neutralises the rows of `report run --format csv`, and --raw keeps them exactly', async () => {
    const args = ['run', 'privilege_access_report', '--data', data, '--days', '7', '--end', '2026-01-14', '--format', 'csv'];
    const safe = await output((out) => reportCommand(args, out));
    expect(safe).toContain(`"'+cmd|' /C calc'!A0"`);
    expect(safe).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(safe).not.toMatch(/(^|,)\+cmd/m);
    const raw = await output((out) => reportCommand([...args, '--raw'], out));
    expect(raw).toMatch(/(^|,)\+cmd\|' \/C calc'!A0(,|\r\n)/m);
  });

  it('leaves numbers as numbers and quotes every neutralised cell', () => {
    expect(csvField(-3)).toBe('-3');
    expect(csvField('-3')).toBe('-3');
    expect(csvField('@SUM(A1:A9)')).toBe(`"'@SUM(A1:A9)"`);
    expect(csvField('\t=1')).toBe(`"'\t=1"`);
    expect(csvField('@SUM(A1:A9)', { raw: true })).toBe('@SUM(A1:A9)');
  });
});
