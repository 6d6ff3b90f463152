import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '@access-monitor/audit-log';

const BIN = fileURLToPath(new URL('../../bin/access-monitor.js', import.meta.url));
let dir: string;
let data: string;

function cli(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: dir });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-cli-'));
  data = path.join(dir, 'events');
  await generateDemoData({ out: data, days: 10, events: 3000, seed: 5, end: '2026-03-10' });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('access-monitor query', () => {
  it('prints a CSV header and rows for the window ending on --end', () => {
    const r = cli('query', '--data', data, '--days', '3', '--end', '2026-03-10', 'SELECT event_date, count(*) AS n FROM session_start GROUP BY event_date ORDER BY event_date');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split(/\r?\n/);
    expect(lines[0]).toBe('event_date,n');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['2026-03-08', '2026-03-09', '2026-03-10']);
  });

  it('prints JSON row objects with the same numbers as CSV for an explicit range', () => {
    const sql = 'SELECT "user", count(*) AS sessions FROM session_start GROUP BY "user" ORDER BY sessions DESC, "user" LIMIT 5';
    const json = cli('query', '--data', data, '--start', '2026-03-01', '--end', '2026-03-10', '--format', 'json', sql);
    const csv = cli('query', '--data', data, '--start', '2026-03-01', '--end', '2026-03-10', sql);
    expect(json.status).toBe(0);
    const rows = JSON.parse(json.stdout) as Array<{ user: string; sessions: number }>;
    expect(rows).toHaveLength(5);
    expect(typeof rows[0]!.sessions).toBe('number');
    expect(csv.stdout.trim().split(/\r?\n/).slice(1)).toEqual(rows.map((r) => `${r.user},${r.sessions}`));
  });

  it('names Athena-style _col0 for an unaliased count', () => {
    const r = cli('query', '--data', data, '--days', '10', '--end', '2026-03-10', 'SELECT count(*) FROM user_login');
    expect(r.stdout.split(/\r?\n/)[0]).toBe('_col0');
  });

  it('exits non-zero with the reason on stderr when the SQL is refused or fails', () => {
    const refused = cli('query', '--data', data, '--days', '7', 'DELETE FROM audit_events');
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/rejected: .*DELETE/);
    const failed = cli('query', '--data', data, '--days', '7', '--end', '2026-03-10', 'SELECT no_such_column FROM session_start');
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(/no_such_column/);
    const wide = cli('query', '--data', data, '--days', '400', 'SELECT 1');
    expect(wide.status).toBe(2);
    expect(wide.stderr).toMatch(/at most 366/);
  });

  it('refuses a data folder that does not exist', () => {
    const r = cli('query', '--data', path.join(dir, 'nope'), '--days', '7', 'SELECT 1');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/nope/);
  });
});

describe('access-monitor import', () => {
  it('imports the good lines, reports bad ones as file:line and exits 3', async () => {
    const log = path.join(dir, 'audit.log');
    const good = JSON.stringify({ event: 'session.start', code: 'T2000I', time: '2026-03-09T10:00:00.123Z', uid: 'u-1', user: 'zed@acme.example', sid: 's-1', proto: 'ssh', login: 'root' });
    await writeFile(log, `${good}\nnot json\n`);
    const out = path.join(dir, 'imported');
    const r = cli('import', '--out', out, log);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`${log}:2:`);
    expect(r.stdout).toMatch(/imported 1\b/);
    const again = cli('import', '--out', out, log);
    expect(again.stdout).toMatch(/imported 0\b/);
    const q = cli('query', '--data', out, '--start', '2026-03-09', '--end', '2026-03-09', "SELECT login, count(*) AS n FROM session_start WHERE \"user\" = 'zed@acme.example' GROUP BY login");
    expect(q.stdout.trim().split(/\r?\n/)).toEqual(['login,n', 'root,1']);
  });
});

describe('typed event store from the command line', () => {
  it('import --config builds the typed store; query reads it, says so, and --engine-path json gives the same rows', async () => {
    const log = path.join(dir, 'typed.log');
    const line = (uid: string, user: string, time: string) => JSON.stringify({ event: 'session.start', code: 'T2000I', time, uid, user, sid: `s-${uid}`, proto: 'ssh', login: 'root' });
    await writeFile(log, [line('t-1', 'ann', '2026-03-08T10:00:00.000Z'), line('t-2', 'ann', '2026-03-09T10:00:00.000Z'), line('t-3', 'ben', '2026-03-09T11:00:00.500Z')].join('\n') + '\n');
    const config = path.join(dir, 'typed.yaml');
    await writeFile(config, `access_monitoring:\n  report_results: file://${path.join(dir, 'typed-state')}\naudit_events_uri: parquet://${path.join(dir, 'typed-events')}\n`);
    const imported = cli('import', '--config', config, log);
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    expect(imported.stdout).toMatch(/typed event store: 2 of 2 days typed/);
    const sql = 'SELECT "user", count(*) AS n FROM session_start GROUP BY 1 ORDER BY 1';
    const typed = cli('query', '--config', config, '--start', '2026-03-08', '--end', '2026-03-09', sql);
    expect(typed.status).toBe(0);
    expect(typed.stderr).toContain('engine path: typed event store (2 days)');
    const json = cli('query', '--config', config, '--start', '2026-03-08', '--end', '2026-03-09', '--engine-path', 'json', sql);
    expect(json.stderr).toContain('engine path: JSON extraction (2 days)');
    expect(typed.stdout).toBe(json.stdout);
    expect(typed.stdout.trim().split(/\r?\n/)).toEqual(['user,n', 'ann,2', 'ben,1']);
    expect(cli('query', '--config', config, '--days', '1', '--engine-path', 'fast', sql).stderr).toContain('--engine-path must be typed or json');
  });
});
