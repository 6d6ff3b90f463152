import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionPreview, Firing } from '@access-monitor/contracts';
import { startReceiver, type LoopbackReceiver } from '../actions/delivery/loopback-receiver';
import { actionsCommand } from './actions-command';

const FIXTURE_ROOT = { dir: '' };
let receiver: LoopbackReceiver;
let config: string;
let dataDir: string;

async function run(...argv: string[]): Promise<string> {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  await actionsCommand(argv, out);
  return text;
}

const RULES = `kind: response_action
version: v1
metadata:
  name: weak-ssh
  description: SSH sessions without MFA
spec:
  source: { finding: privilege_access_report/ssh_sessions_with_weak_security }
  window: 7d
  schedule: { interval: 1h }
  condition: { new_rows: {} }
  # Teleport's access_monitoring_rule spelling: one notification with recipients.
  notification: { name: soc, recipients: ["#security"] }
---
kind: role
version: v7
metadata: { name: not-a-rule }
---
kind: response_action
version: v1
metadata: { name: broken }
spec:
  source: { finding: privilege_access_report/ssh_sessions_with_weak_security }
  schedule: { cron: "0 9 * *" }
`;

beforeAll(async () => {
  FIXTURE_ROOT.dir = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-actions-cli-'));
  receiver = await startReceiver((_req, res) => res.end('ok'));
  const { generateDemoData } = await import('@access-monitor/audit-log');
  dataDir = path.join(FIXTURE_ROOT.dir, 'events');
  const end = new Date().toISOString().slice(0, 10);
  await generateDemoData({ out: dataDir, days: 7, events: 3000, seed: 7, end });
  config = path.join(FIXTURE_ROOT.dir, 'access-monitor.yaml');
  await writeFile(
    config,
    `access_monitoring:
  report_results: file://${FIXTURE_ROOT.dir}/report_results
audit_events_uri: parquet://${dataDir}
actions:
  allowed_hosts: [127.0.0.1]
  allow_private_addresses: true
  destinations:
    soc: { type: webhook, url: "${receiver.origin}/hook", secret: a-webhook-secret-of-32-characters }
`,
  );
});
afterAll(async () => {
  await receiver?.close();
  await rm(FIXTURE_ROOT.dir, { recursive: true, force: true });
});

describe('access-monitor actions', () => {
  it('imports Teleport-style YAML, naming the document it refuses and skipping other kinds', async () => {
    const file = path.join(FIXTURE_ROOT.dir, 'rules.yaml');
    await writeFile(file, RULES);
    const failure = run('import', file, '--config', config);
    await expect(failure).rejects.toThrow(/document 3: spec\.schedule\.cron: .*5 fields/);
    const listed = await run('list', '--config', config);
    expect(listed).toMatch(/^weak-ssh {2}enabled {2}every 1h {2}privilege_access_report\/ssh_sessions_with_weak_security/);
    expect(listed).not.toContain('broken');
    // Importing again refuses to overwrite unless asked.
    await expect(run('import', file, '--config', config)).rejects.toThrow(/weak-ssh already exists/);
  });

  it('exports what it imported, and the export imports back to the same rule', async () => {
    const yaml = await run('export', 'weak-ssh', '--config', config);
    expect(yaml).toContain('kind: response_action');
    expect(yaml).toContain('description: SSH sessions without MFA');
    expect(yaml).toMatch(/notifications:\n\s+- name: soc\n\s+recipients:\n\s+- "#security"/);
    const file = path.join(FIXTURE_ROOT.dir, 'export.yaml');
    await writeFile(file, yaml);
    expect(await run('import', file, '--config', config, '--force')).toMatch(/imported response action weak-ssh/);
    expect(await run('export', 'weak-ssh', '--config', config)).toBe(yaml);
  });

  it('shows with --dry-run what a firing would send, sending nothing, then fires to the webhook', async () => {
    const preview = ActionPreview.parse(JSON.parse(await run('fire', 'weak-ssh', '--config', config, '--dry-run')));
    expect(preview.sendRows).toBeGreaterThan(0);
    expect(preview.destinations).toEqual(['soc']);
    expect(receiver.requests).toHaveLength(0);
    const firing = Firing.parse(JSON.parse(await run('fire', 'weak-ssh', '--config', config)));
    expect(firing).toMatchObject({ state: 'DELIVERED', trigger: 'manual', sentRows: preview.sendRows });
    expect(firing.startedBy).toMatch(/^cli:/);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.headers['idempotency-key']).toBe(firing.id);
    expect(JSON.parse(receiver.requests[0]!.body.toString('utf8'))).toMatchObject({ recipients: ['#security'] });
    expect(await readFile(config, 'utf8')).toContain('soc');
  });
});
