// The BFF in production mode, against the loopback peers: Athena (with STS) over Parquet in an S3
// peer, and every piece of state in S3. Same config path as `access-monitor aws-local`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '@access-monitor/audit-log';
import { startAwsLocal, type AwsLocal } from '@access-monitor/athena-local';
import { ProblemTypes, type Execution, type Problem, type ResultsPage } from '@access-monitor/contracts';
import { createDuckDbEngine } from '@access-monitor/engine';
import { Writable } from 'node:stream';
import { awsLocalConfigYaml } from '../dev/aws-local-command';
import { reportCommand } from '../cli/report-command';
import { parseConfig, type AppConfig } from '../config/load-config';
import { serviceCaller } from '../executions/executions-service';
import { executionsOver } from '../testing/test-executions';
import { addUser } from '../identity/users-file';
import { createLogger } from '../logger';
import { serve, type RunningServer } from '../serve';
import { createReportStoreFor } from './aws-for-config';

const END = '2026-03-10';
const PASSWORD = 'correct horse battery staple';
let root: string;
let dataDir: string;
let aws: AwsLocal;
const servers: RunningServer[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'athena-mode-'));
  dataDir = path.join(root, 'events');
  await generateDemoData({ out: dataDir, days: 7, events: 3000, seed: 5, end: END });
  aws = await startAwsLocal({ dataDir });
  for (const [name, roles] of [['auditor', ['auditor']], ['editor', ['editor']]] as const) {
    await addUser(path.join(root, 'users.yaml'), { name, roles: [...roles], password: PASSWORD }, { N: 1024, r: 8, p: 1 });
  }
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await aws?.stop();
  await rm(root, { recursive: true, force: true });
});

/** The config aws-local writes, with `edit` applied to its YAML text. */
async function configFor(edit: (yaml: string) => string = (y) => y): Promise<AppConfig> {
  const file = path.join(root, `config-${servers.length}.yaml`);
  const text = edit(awsLocalConfigYaml(aws));
  await writeFile(file, text);
  const config = parseConfig(text, { file, env: {} });
  // The scheduler would start report runs of its own; these tests ask for what they need.
  return { ...config, server: { host: '127.0.0.1', port: 0 }, reports: { ...config.reports, refreshEnabled: false, refreshOnStart: false } };
}

async function start(config: AppConfig): Promise<{ url: string; fetchAs: (user: string, p: string, init?: RequestInit) => Promise<Response> }> {
  const server = await serve(config, { logger: createLogger({ level: 'silent' }) });
  servers.push(server);
  const cookies = new Map<string, string>();
  const fetchAs = async (user: string, p: string, init: RequestInit = {}): Promise<Response> => {
    if (!cookies.has(user)) {
      const login = await fetch(`${server.url}/api/v1/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: server.url },
        body: JSON.stringify({ username: user, password: PASSWORD }),
      });
      expect(login.status).toBe(200);
      cookies.set(user, login.headers.get('set-cookie')!.split(';')[0]!);
    }
    return fetch(`${server.url}${p}`, { ...init, headers: { ...(init.headers as Record<string, string>), Cookie: cookies.get(user)!, Origin: server.url, 'Content-Type': 'application/json' } });
  };
  return { url: server.url, fetchAs };
}

async function runViaApi(fetchAs: (user: string, p: string, init?: RequestInit) => Promise<Response>, sql: string): Promise<{ execution: Execution; page: ResultsPage }> {
  const started = await fetchAs('auditor', '/api/v1/executions', { method: 'POST', body: JSON.stringify({ sql, days: 7, end: END }) });
  expect(started.status).toBe(202);
  let execution = (await started.json()) as Execution;
  while (execution.state === 'QUEUED' || execution.state === 'RUNNING') {
    await sleep(50);
    execution = (await (await fetchAs('auditor', `/api/v1/executions/${execution.id}`)).json()) as Execution;
  }
  const page = (await (await fetchAs('auditor', `/api/v1/executions/${execution.id}/results?limit=1000`)).json()) as ResultsPage;
  return { execution, page };
}

describe('the server on Athena and S3', () => {
  it('answers a query through Athena exactly as DuckDB does over the same Parquet', async () => {
    const { fetchAs } = await start(await configFor());
    const sql = 'SELECT "user", count(*) AS sessions FROM session_start GROUP BY "user" ORDER BY sessions DESC, "user"';
    const { execution, page } = await runViaApi(fetchAs, sql);
    expect(execution).toMatchObject({ state: 'SUCCEEDED', engine: 'athena' });
    expect(execution.bytesScanned).toBeGreaterThan(0);

    const duck = await createDuckDbEngine({ dataDir, resultsDir: path.join(root, 'duck-results') });
    try {
      const expected = await executionsOver(duck, path.join(root, 'duck-log')).runToCompletion(serviceCaller('cli'), { sql, window: { start: '2026-03-04', end: END }, intent: ['expected'] });
      expect(page.rows).toEqual(expected.rows.map((r) => [r.user, r.sessions]));
      expect(page.rows.length).toBeGreaterThan(5);
    } finally {
      await duck.close();
    }
  });

  it('keeps saved queries in the S3 report_results prefix, where another instance reads them', async () => {
    const config = await configFor();
    const one = await start(config);
    const two = await start(config);
    const saved = await one.fetchAs('editor', '/api/v1/queries/root-sessions', {
      method: 'PUT',
      headers: { 'If-None-Match': '*' },
      body: JSON.stringify({ title: 'Root sessions', sql: "SELECT * FROM session_start WHERE login = 'root'", days: 30 }),
    });
    expect(saved.status).toBe(201);
    const read = await two.fetchAs('auditor', '/api/v1/queries/root-sessions');
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ name: 'root-sessions', title: 'Root sessions', revision: 1 });
    const keys: string[] = [];
    for await (const o of createReportStoreFor(config).list('queries/root-sessions/')) keys.push(o.key);
    expect(keys).toEqual(['queries/root-sessions/rev-00000001.json']);
  });

  it('names the role and STS\'s reason when role_arn cannot be assumed', async () => {
    const denied = 'arn:aws:iam::123456789012:role/NotTrusted';
    const { fetchAs } = await start(await configFor((y) => y.replace(aws.roleArn, denied)));
    const res = await fetchAs('auditor', '/api/v1/executions', { method: 'POST', body: JSON.stringify({ sql: 'SELECT count(*) FROM session_start', days: 7, end: END }) });
    expect(res.status).toBe(502);
    const problem = (await res.json()) as Problem;
    expect(problem.type).toBe(ProblemTypes.assumeRoleFailed);
    expect(problem.detail).toContain(denied);
    expect(problem.detail).toMatch(/AccessDenied.*not authorized to perform: sts:AssumeRole/);
  });

  it('answers 503 engine-throttled when Athena keeps throttling after the retries', async () => {
    const { fetchAs } = await start(await configFor());
    aws.athena.faults.throttle({ times: 1000, operation: 'StartQueryExecution' });
    try {
      const res = await fetchAs('auditor', '/api/v1/executions', { method: 'POST', body: JSON.stringify({ sql: 'SELECT count(*) FROM user_login', days: 7, end: END }) });
      expect(res.status).toBe(503);
      const problem = (await res.json()) as Problem;
      expect(problem.type).toBe(ProblemTypes.engineThrottled);
      expect(problem.detail).toContain('ThrottlingException');
    } finally {
      aws.athena.faults.clear();
    }
  });

  it('gives the same report from `report run --config` (Athena) as from `--data` (DuckDB)', async () => {
    const config = await configFor();
    const run = async (source: string[]): Promise<unknown> => {
      let text = '';
      const out = new Writable({ write: (chunk, _enc, done) => ((text += String(chunk)), done()) });
      await reportCommand(['run', 'access_risk', ...source, '--days', '7', '--end', END], out);
      return JSON.parse(text);
    };
    const viaAthena = await run(['--config', config.file!]);
    const viaDuckDb = await run(['--data', dataDir]);
    expect(viaAthena).toEqual(viaDuckDb);
    expect((viaAthena as { queries: Array<{ rowCount: number }> }).queries.some((q) => q.rowCount > 0)).toBe(true);
  });
});
