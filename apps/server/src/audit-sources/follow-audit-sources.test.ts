import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type QueryEngine } from '@access-monitor/engine';
import { parseConfig, ConfigError } from '../config/load-config';
import { serviceCaller } from '../executions/executions-service';
import { executionsOver } from '../testing/test-executions';
import { startAuditSourceFollowers, type AuditSourceFollowers } from './follow-audit-sources';

let dir: string;
let followers: AuditSourceFollowers | undefined;
let engine: QueryEngine | undefined;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'audit-sources-'));
});
afterEach(async () => {
  await followers?.stop();
  await engine?.close();
  followers = undefined;
  engine = undefined;
  await rm(dir, { recursive: true, force: true });
});

const sessionStart = (n: number): string =>
  JSON.stringify({
    ei: 0,
    event: 'session.start',
    uid: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    code: 'T2000I',
    time: new Date(Date.UTC(2026, 10, 23, 9, 0, n)).toISOString(),
    user: 'alice',
    login: 'root',
    sid: `sid-${n}`,
    server_id: 'node-1',
    proto: 'ssh',
  });

describe('audit_sources', () => {
  it('makes lines Teleport appends to its log visible to queries', async () => {
    const log = path.join(dir, 'teleport', 'log', 'auth-1');
    const data = path.join(dir, 'events');
    await mkdir(log, { recursive: true });
    await mkdir(data, { recursive: true });
    const file = path.join(log, '2026-11-23.00:00:00.log');
    await writeFile(file, `${sessionStart(1)}\n`);
    followers = startAuditSourceFollowers({ sources: [path.join(dir, 'teleport')], dataDir: data, intervalMs: 3_600_000, logger: pino({ level: 'silent' }) });
    await followers.pollNow();
    engine = await createDuckDbEngine({ dataDir: data, resultsDir: path.join(dir, 'results') });
    const window = { start: '2026-11-23', end: '2026-11-23' };
    const executions = executionsOver(engine, path.join(dir, 'log'));
    let poll = 0;
    const count = async (): Promise<unknown> =>
      (await executions.runToCompletion(serviceCaller('cli'), { sql: 'SELECT count(*) AS n FROM session_start', window, intent: [String(poll++)] })).rows[0]!.n;
    expect(await count()).toBe(1);

    await appendFile(file, `${sessionStart(2)}\n${sessionStart(3)}\n`);
    await followers.pollNow();
    expect(await count()).toBe(3);
  });

  it('refuses audit_sources when the events are in Athena, naming the key', () => {
    const text = `access_monitoring:\n  report_results: file:///tmp/r\naudit_events_uri: athena://db.events?region=eu-central-1\naudit_sources: [file:///var/lib/teleport/log]\n`;
    expect(() => parseConfig(text, { file: 'c.yaml', env: {} })).toThrow(ConfigError);
    expect(() => parseConfig(text, { file: 'c.yaml', env: {} })).toThrow(/c\.yaml:4: audit_sources: .*audit_events_uri must be parquet/);
  });

  it('reads audit_sources relative to the config file, with a poll interval', () => {
    const text = `access_monitoring:\n  report_results: file:///tmp/r\naudit_events_uri: parquet:///tmp/events\naudit_sources: [file://teleport/log, file:///var/lib/teleport/log]\naudit_sources_interval: 30s\n`;
    const config = parseConfig(text, { file: '/etc/access-monitor/c.yaml', env: {} });
    expect(config.auditSources).toEqual(['/etc/access-monitor/teleport/log', '/var/lib/teleport/log']);
    expect(config.auditSourcesIntervalMs).toBe(30_000);
  });
});
