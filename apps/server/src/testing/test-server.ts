import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { athenaRowOf, generateDemoData, writeAthenaParquet, type AuditEvent } from '@access-monitor/audit-log';
import { createDuckDbEngine, type QueryEngine } from '@access-monitor/engine';
import { duckDbLimits } from '../engine-for-config';
import { createFsObjectStore, type ObjectStore } from '@access-monitor/storage';
import { createApp } from '../app';
import { answerClientErrorsWithProblems } from '../http/client-error-problems';
import { createReportServices, type ReportServices } from '../reports/report-services';
import { createActionServices, type ActionServices } from '../actions/action-services';
import type { Executions } from '../executions/executions-service';
import { createTriage } from '../triage/triage-store';
import { createExecutionLog } from '../executions/execution-log';
import { createExecutions } from '../executions/executions-service';
import { createMetrics } from '../metrics/metrics';
import { instrumentEngine } from '../metrics/instrument-engine';
import { embeddedConfig, type AppConfig } from '../config/load-config';
import { createIdentityForConfig } from '../identity/identity-for-config';
import { addUser } from '../identity/users-file';
import { createLogger } from '../logger';
import { presentMe } from '../me/me-router';
import { loadRoleRegistry } from '../roles/load-role-files';

export const FIXTURE_END = '2026-01-14';
export const TEST_PASSWORD = 'correct horse battery staple';

/** A custom role as a Teleport admin would write it: everything, except running reports and editing queries. */
export const QUERY_RUNNER_ROLE = `kind: role
version: v7
metadata:
  name: query-runner
spec:
  allow:
    rules:
      - resources: ['*']
        verbs: ['*']
  deny:
    rules:
      - resources: [security_report]
        verbs: [use]
      - resources: [audit_query]
        verbs: [update, delete]
`;

/** A custom role that reads security reports and their findings but may not run audit queries (nor read raw events). */
export const REPORT_READER_ROLE = `kind: role
version: v7
metadata:
  name: report-reader
spec:
  allow:
    rules:
      - resources: [security_report]
        verbs: [list, read, use]
      - resources: [audit_query]
        verbs: [list, read]
`;

/** Test users by the roles they hold. */
export const TEST_USERS = {
  auditor: ['auditor'],
  editor: ['editor'],
  visitor: [],
  runner: ['query-runner'],
  ghost: ['no-such-role'],
  reporter: ['report-reader'],
} as const satisfies Record<string, readonly string[]>;
export type TestUser = keyof typeof TEST_USERS;

export interface TestServer {
  url: string;
  dataDir: string;
  /** The report_results folder (the fs ObjectStore's root). */
  stateDir: string;
  config: AppConfig;
  store: ObjectStore;
  executions: Executions;
  reports: ReportServices;
  /** The instance's response actions; its scheduler is not started (tests call tick()). */
  actions: ActionServices;
  engine: QueryEngine;
  logs: string[];
  /** fetch as a signed-in test user (logs in once, then reuses the session cookie). */
  fetchAs(user: TestUser, pathname: string, init?: RequestInit): Promise<Response>;
  /** Counts rows straight from the Parquet files with raw DuckDB, bypassing the product. */
  rawCount(eventType: string, start: string, end: string): Promise<number>;
  close(): Promise<void>;
}

/** The real app (local sign-in, role files, fs store, DuckDB) on an ephemeral port over a small deterministic dataset. */
export async function startTestServer(
  opts: {
    days?: number;
    events?: number;
    limits?: Partial<AppConfig['limits']>;
    /** Response-action settings (destinations, egress policy) merged over the defaults. */
    actions?: Partial<AppConfig['actions']>;
    clock?: () => Date;
    fixture?: readonly AuditEvent[];
    webDist?: string;
    /** Server settings merged over the defaults (trusted proxies). */
    server?: Partial<AppConfig['server']>;
    /** The bearer token /metrics needs; without one it answers 404 as in production. */
    metricsToken?: string;
    /** An existing report_results folder to share with another instance (the caller removes it); default one of its own. */
    stateDir?: string;
    /** Report settings merged over the defaults (instance id, refresh). */
    reports?: Partial<AppConfig['reports']>;
  } = {},
): Promise<TestServer> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'access-monitor-server-'));
  const dataDir = path.join(root, 'events');
  if (opts.fixture) await writeAthenaParquet(dataDir, opts.fixture.map((e) => athenaRowOf(e, Date.parse(e.time))));
  else await generateDemoData({ out: dataDir, days: opts.days ?? 14, events: opts.events ?? 4000, seed: 7, end: FIXTURE_END });
  const usersFile = path.join(root, 'users.yaml');
  for (const [name, roles] of Object.entries(TEST_USERS)) {
    await addUser(usersFile, { name, roles: [...roles], password: TEST_PASSWORD }, { N: 1024, r: 8, p: 1 });
  }
  await writeFile(path.join(root, 'query-runner.yaml'), QUERY_RUNNER_ROLE);
  await writeFile(path.join(root, 'report-reader.yaml'), REPORT_READER_ROLE);
  const stateDir = opts.stateDir ?? path.join(root, 'report_results');
  const embedded = embeddedConfig({ eventsDir: dataDir, resultsDir: stateDir, usersFile, port: 0 });
  const config: AppConfig = {
    ...embedded,
    roleFiles: [path.join(root, '*.yaml')],
    limits: { ...embedded.limits, ...opts.limits },
    actions: { ...embedded.actions, ...opts.actions },
    server: { ...embedded.server, ...opts.server },
    reports: { ...embedded.reports, ...opts.reports },
  };
  const roles = await loadRoleRegistry([path.join(root, 'query-runner.yaml'), path.join(root, 'report-reader.yaml')]);
  const engine = await createDuckDbEngine({ dataDir, resultsDir: path.join(stateDir, 'query-results'), ...duckDbLimits(config.limits) });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const clock = opts.clock ?? (() => new Date(`${FIXTURE_END}T12:00:00Z`));
  const store = createFsObjectStore(stateDir);
  const identity = await createIdentityForConfig(config.auth, { store, logger, present: (u) => presentMe(u, 'local', roles) });
  // Built here rather than inside createApp so close() can wait for report runs still going.
  // Wired as serve wires it: one instrumented engine and one execution path for the API and report runs.
  const metrics = createMetrics();
  const measured = instrumentEngine(engine, metrics);
  const executions = createExecutions({ engine: measured, log: createExecutionLog(store), store, limits: config.limits, logger, metrics, now: clock });
  const reports = createReportServices({ engine: measured, store, config, logger, now: clock, executions });
  const triage = createTriage(store, clock, { maxAcceptedRiskDays: config.triage.maxAcceptedRiskDays, catalog: reports.catalog });
  const actions = createActionServices({ store, executions, catalog: reports.catalog, triage, config, logger, now: clock, metrics });
  const app = createApp({
    config,
    engine: measured,
    store,
    identity,
    roles,
    logger,
    clock,
    reports,
    executions,
    metrics,
    actions,
    metricsToken: opts.metricsToken,
    ...(opts.webDist ? { webDist: opts.webDist } : {}),
  });
  const server = app.listen(0, '127.0.0.1');
  answerClientErrorsWithProblems(server);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const raw = await DuckDBInstance.create(':memory:');
  const rawConn = await raw.connect();
  const cookies = new Map<TestUser, string>();

  async function cookieFor(user: TestUser): Promise<string> {
    const known = cookies.get(user);
    if (known) return known;
    const res = await fetch(`${url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: TEST_PASSWORD }) });
    if (res.status !== 200) throw new Error(`login as ${user} answered ${res.status}: ${await res.text()}`);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    cookies.set(user, cookie);
    return cookie;
  }

  return {
    url,
    dataDir,
    stateDir,
    config,
    store,
    executions,
    reports,
    actions,
    engine,
    logs,
    async fetchAs(user, pathname, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('cookie', await cookieFor(user));
      return fetch(`${url}${pathname}`, { ...init, headers });
    },
    async rawCount(eventType, start, end) {
      const r = await rawConn.runAndReadAll(
        `SELECT count(*)::INTEGER AS n FROM read_parquet($glob) WHERE event_type = $t AND CAST(event_time AS DATE) BETWEEN CAST($s AS DATE) AND CAST($e AS DATE)`,
        { glob: path.join(dataDir, '*', '*.parquet'), t: eventType, s: start, e: end },
      );
      return Number(r.getRowObjects()[0]!.n);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await reports.runs.drain();
      await actions.scheduler.stop();
      await executions.close();
      rawConn.closeSync();
      await engine.close();
      await identity.close?.();
      await rm(root, { recursive: true, force: true });
    },
  };
}
