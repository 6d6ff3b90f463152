import { ActionsConfig } from '../actions/delivery/actions-config';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { parseEngineUri } from '@access-monitor/engine';
import { ENGINES, type AuditEventsTarget } from '../engine-for-config';
import { ConfigError } from './config-error';
import { ConfigFile, DEFAULT_MAX_ACCEPTED_RISK_DAYS, ENGINE_MEMORY_BYTES, INTERACTIVE_TIMEOUT_MS, MAX_RESULT_BYTES, RESULT_RETENTION_MS } from './config-schema';
import { localUriPath } from './local-uri-path';

export { ConfigError };

export interface AppConfig {
  file?: string;
  enabled: boolean;
  /** `trustedProxies`: addresses/CIDRs whose forwarding headers are believed; none when absent. */
  server: { host: string; port: number; trustedProxies?: string[] };
  /** `/metrics` needs the bearer token in this file; without one it answers 404. */
  metrics?: { bearerTokenFile?: string };
  /** `audit_events_uri` as its engine's registry entry reads it: `kind` is the scheme (parquet: the Parquet folder in Teleport's Athena layout). */
  auditEvents: AuditEventsTarget;
  /** Where reports, results and state live. */
  reportResults: { kind: 'file'; dir: string } | { kind: 's3'; uri: string };
  roleArn?: string;
  workgroup?: string;
  limits: {
    maxBytesScanned?: number;
    queryTimeoutMs: number;
    maxRunningPerUser: number;
    /** Queries the server's own work (report runs, response actions, charts) runs at once; more wait. */
    maxRunningService: number;
    /** Queries this instance runs at once, for everyone. */
    maxRunningTotal: number;
    resultRetentionMs: number;
    /** People's queries (HTTP, CLI) are stopped by the engine past this; the server's own use queryTimeoutMs. */
    interactiveTimeoutMs?: number;
    /** DuckDB's memory_limit and threads (default: every core). */
    engineMemoryBytes?: number;
    engineThreads?: number;
    /** Results larger than this fail with RESULT_TOO_LARGE. */
    maxResultBytes?: number;
    /** Bytes of one user's kept results (people's queries, across instances); absent: no quota. */
    resultsQuotaPerUser?: number;
    /** Bytes of serialised answers kept in memory (report pages, run permalinks, overviews); absent: 64 MiB. */
    servingCacheBytes?: number;
    /** Bytes every query together may scan per period, across instances; absent: no budget. */
    scanBudget?: { bytes: number; refillAfterMs: number };
  };
  auth: AuthConfig;
  /** Absolute paths or globs of role YAML files. */
  roleFiles: string[];
  reports: ReportsConfig;
  /** Ed25519 key evidence manifests are signed with (created once, exclusively, when missing). */
  evidence: { signingKeyFile: string };
  /** How many days ahead an accepted risk may expire. */
  triage: { maxAcceptedRiskDays: number };
  /** Response actions: destinations, egress policy, tctl, and the scheduler's tick. */
  actions: ActionsConfig & { tickMs: number; publicUrl?: string | undefined };
  /** Teleport file audit logs followed into the Parquet folder (absolute paths), and how often. */
  auditSources: string[];
  auditSourcesIntervalMs: number;
  aws: AwsConfig;
  /** Teleport's session player (`teleport.proxy_url` and the cluster); absent: no 'Play in Teleport' links. */
  sessionPlayer?: { proxyUrl: string; cluster: string };
}

export interface AwsConfig {
  region?: string;
  endpoints: { athena?: string; s3?: string; sts?: string };
  s3ForcePathStyle: boolean;
  staticCredentials?: { accessKeyId: string; secretAccessKey: string };
}

export type AuthConfig =
  | { mode: 'local'; usersFile: string; sessionSecretFile: string; sessionTtlMs: number }
  | { mode: 'teleport'; jwksUrl: string; clusterName: string; audience: string };

const ENV_OVERRIDES: Array<[string, string[], (v: string) => unknown]> = [
  ['ACCESS_MONITOR_AUDIT_EVENTS_URI', ['audit_events_uri'], String],
  ['ACCESS_MONITOR_REPORT_RESULTS', ['access_monitoring', 'report_results'], String],
  ['ACCESS_MONITOR_ROLE_ARN', ['access_monitoring', 'role_arn'], String],
  ['ACCESS_MONITOR_WORKGROUP', ['access_monitoring', 'workgroup'], String],
  ['ACCESS_MONITOR_HOST', ['server', 'host'], String],
  ['ACCESS_MONITOR_PORT', ['server', 'port'], Number],
];

export async function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<AppConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}: cannot read config: ${(e as Error).message}`);
  }
  return parseConfig(text, { file, env });
}

export function parseConfig(text: string, opts: { file?: string; env?: NodeJS.ProcessEnv } = {}): AppConfig {
  const where = opts.file ?? 'config';
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const firstError = doc.errors[0];
  if (firstError) {
    const pos = lineCounter.linePos(firstError.pos[0]);
    throw new ConfigError(`${where}:${pos.line}:${pos.col}: not valid YAML: ${firstError.message.split('\n')[0]}`);
  }
  const raw: unknown = doc.toJS() ?? {};
  applyEnv(raw, opts.env ?? {});
  const parsed = ConfigFile.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error.issues, where, (p) => lineOf(doc, lineCounter, p)));
  return toAppConfig(parsed.data, opts.file);
}

function applyEnv(raw: unknown, env: NodeJS.ProcessEnv): void {
  if (typeof raw !== 'object' || raw === null) return;
  for (const [name, keyPath, convert] of ENV_OVERRIDES) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    let obj = raw as Record<string, unknown>;
    for (const key of keyPath.slice(0, -1)) {
      if (typeof obj[key] !== 'object' || obj[key] === null) obj[key] = {};
      obj = obj[key] as Record<string, unknown>;
    }
    obj[keyPath.at(-1)!] = convert(value);
  }
}

function lineOf(doc: ReturnType<typeof parseDocument>, lc: LineCounter, keyPath: PropertyKey[]): number | undefined {
  for (let n = keyPath.length; n > 0; n--) {
    const node = doc.getIn(keyPath.slice(0, n) as (string | number)[], true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

function describeIssues(issues: z.core.$ZodIssue[], where: string, line: (p: PropertyKey[]) => number | undefined): string {
  return issues
    .map((issue) => {
      const keyPath = issue.path.map(String).join('.');
      const l = line(issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path);
      const unknownKeys = issue.code === 'unrecognized_keys' ? `: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` : '';
      const message = issue.code === 'unrecognized_keys' ? 'not a known setting' : issue.message;
      return `${where}${l ? `:${l}` : ''}: ${keyPath || '(top level)'}${unknownKeys}: ${message}`;
    })
    .join('\n');
}

function toAppConfig(c: ConfigFile, file?: string): AppConfig {
  const baseDir = file ? path.dirname(path.resolve(file)) : process.cwd();
  return {
    ...(file ? { file } : {}),
    enabled: c.access_monitoring.enabled,
    server: { host: c.server.host, port: c.server.port, trustedProxies: c.server.trusted_proxies },
    metrics: c.metrics.bearer_token_file ? { bearerTokenFile: path.resolve(baseDir, c.metrics.bearer_token_file) } : {},
    auditEvents: parseEngineUri(ENGINES, c.audit_events_uri, baseDir),
    reportResults: c.access_monitoring.report_results.startsWith('file://')
      ? { kind: 'file', dir: localUriPath(c.access_monitoring.report_results, 'file:', baseDir) }
      : { kind: 's3', uri: c.access_monitoring.report_results },
    ...(c.access_monitoring.role_arn ? { roleArn: c.access_monitoring.role_arn } : {}),
    ...(c.access_monitoring.workgroup ? { workgroup: c.access_monitoring.workgroup } : {}),
    auth: authConfig(c, baseDir),
    roleFiles: c.roles.map((r) => path.resolve(baseDir, r)),
    reports: reportsConfig(c),
    evidence: { signingKeyFile: signingKeyFile(c, baseDir) },
    triage: { maxAcceptedRiskDays: c.triage.max_accepted_risk_days },
    actions: actionsConfigOf(c.actions, baseDir),
    auditSources: c.audit_sources.map((uri) => localUriPath(uri, 'file:', baseDir)),
    auditSourcesIntervalMs: c.audit_sources_interval,
    aws: awsConfig(c),
    ...sessionPlayerConfig(c),
    limits: {
      ...(c.limits.max_bytes_scanned !== undefined ? { maxBytesScanned: c.limits.max_bytes_scanned } : {}),
      queryTimeoutMs: c.limits.query_timeout,
      maxRunningPerUser: c.limits.max_running_per_user,
      maxRunningService: c.limits.max_running_service,
      maxRunningTotal: c.limits.max_running_total,
      resultRetentionMs: c.limits.result_retention,
      interactiveTimeoutMs: c.limits.interactive_timeout,
      engineMemoryBytes: c.limits.engine_memory,
      ...(c.limits.engine_threads !== undefined ? { engineThreads: c.limits.engine_threads } : {}),
      maxResultBytes: c.limits.max_result_bytes,
      resultsQuotaPerUser: c.limits.results_quota_per_user,
      ...(c.limits.serving_cache_bytes !== undefined ? { servingCacheBytes: c.limits.serving_cache_bytes } : {}),
      ...(c.limits.scan_budget ? { scanBudget: { bytes: c.limits.scan_budget.bytes, refillAfterMs: c.limits.scan_budget.refill_after } } : {}),
    },
  };
}

/** The cluster defaults to the JWT issuer Teleport signs with, auth.teleport.cluster_name. */
function sessionPlayerConfig(c: ConfigFile): Pick<AppConfig, 'sessionPlayer'> {
  const cluster = c.teleport?.cluster_name ?? (c.auth?.mode === 'teleport' ? c.auth.teleport?.cluster_name : undefined);
  if (!c.teleport || !cluster) return {};
  return { sessionPlayer: { proxyUrl: c.teleport.proxy_url.replace(/\/+$/, ''), cluster } };
}

function awsConfig(c: ConfigFile): AwsConfig {
  const aws = c.aws;
  if (!aws) return { endpoints: {}, s3ForcePathStyle: false };
  return {
    ...(aws.region ? { region: aws.region } : {}),
    endpoints: aws.endpoints,
    s3ForcePathStyle: aws.s3_force_path_style,
    ...(aws.static_credentials ? { staticCredentials: { accessKeyId: aws.static_credentials.access_key_id, secretAccessKey: aws.static_credentials.secret_access_key } } : {}),
  };
}

function authConfig(c: ConfigFile, baseDir: string): AuthConfig {
  const auth = c.auth ?? { mode: 'local' as const };
  if (auth.mode === 'teleport' && auth.teleport) {
    return { mode: 'teleport', jwksUrl: auth.teleport.jwks_url, clusterName: auth.teleport.cluster_name, audience: auth.teleport.audience };
  }
  if (auth.local) {
    const usersFile = path.resolve(baseDir, auth.local.users_file);
    return {
      mode: 'local',
      usersFile,
      sessionSecretFile: path.resolve(baseDir, auth.local.session_secret_file ?? path.join(path.dirname(usersFile), 'session.key')),
      sessionTtlMs: auth.local.session_ttl,
    };
  }
  // No auth block: local users beside the config file.
  const usersFile = path.resolve(baseDir, 'users.yaml');
  return { mode: 'local', usersFile, sessionSecretFile: path.join(baseDir, 'session.key'), sessionTtlMs: 12 * 3_600_000 };
}

/** `limits` when the config says nothing: Teleport's 3 queries per user, a week of results. */
export const DEFAULT_LIMITS: AppConfig['limits'] = { queryTimeoutMs: 15 * 60_000, maxRunningPerUser: 3, maxRunningService: 8, maxRunningTotal: 32, resultRetentionMs: RESULT_RETENTION_MS, interactiveTimeoutMs: INTERACTIVE_TIMEOUT_MS, engineMemoryBytes: ENGINE_MEMORY_BYTES, maxResultBytes: MAX_RESULT_BYTES };

/** The parsed `actions:` block; a webhook's secret_file is relative to the config file, like users_file. */
function actionsConfigOf(a: ConfigFile['actions'], baseDir: string): AppConfig['actions'] {
  const { tick, public_url, ...rest } = a;
  const destinations = Object.fromEntries(
    Object.entries(rest.destinations).map(([name, d]) => [name, d.type === 'webhook' && d.secret_file ? { ...d, secret_file: path.resolve(baseDir, d.secret_file) } : d]),
  );
  return { ...rest, destinations, tickMs: tick, ...(public_url ? { publicUrl: public_url } : {}) };
}

/** The embedded defaults `npm start` uses when there is no config file. */
export function embeddedConfig(opts: { eventsDir: string; resultsDir: string; usersFile: string; host?: string; port?: number }): AppConfig {
  return {
    auth: { mode: 'local', usersFile: opts.usersFile, sessionSecretFile: path.join(path.dirname(opts.usersFile), 'session.key'), sessionTtlMs: 12 * 3_600_000 },
    roleFiles: [],
    reports: DEFAULT_REPORTS,
    evidence: { signingKeyFile: signingKeyBeside(opts.usersFile) },
    triage: { maxAcceptedRiskDays: DEFAULT_MAX_ACCEPTED_RISK_DAYS },
    actions: { ...ActionsConfig.parse({}), tickMs: 30_000 },
    auditSources: [],
    auditSourcesIntervalMs: 10_000,
    aws: { endpoints: {}, s3ForcePathStyle: false },
    enabled: true,
    server: { host: opts.host ?? '127.0.0.1', port: opts.port ?? 8080 },
    auditEvents: { kind: 'parquet', dir: opts.eventsDir },
    reportResults: { kind: 'file', dir: opts.resultsDir },
    limits: DEFAULT_LIMITS,
  };
}

export interface ReportsConfig {
  refreshEnabled: boolean;
  refreshIntervalMs: number;
  refreshOnStart: boolean;
  instanceId?: string;
}

const DEFAULT_REPORTS: ReportsConfig = { refreshEnabled: true, refreshIntervalMs: 24 * 3_600_000, refreshOnStart: true };

function reportsConfig(c: ConfigFile): ReportsConfig {
  return {
    refreshEnabled: c.reports.refresh_enabled,
    refreshIntervalMs: c.reports.refresh_interval,
    refreshOnStart: c.reports.refresh_on_start,
    ...(c.reports.instance_id ? { instanceId: c.reports.instance_id } : {}),
  };
}

/** The evidence signing key lives beside the session secret: state every instance shares. */
const signingKeyBeside = (file: string): string => path.join(path.dirname(file), 'evidence-signing-key.pem');

function signingKeyFile(c: ConfigFile, baseDir: string): string {
  if (c.evidence.signing_key_file) return path.resolve(baseDir, c.evidence.signing_key_file);
  const auth = authConfig(c, baseDir);
  return auth.mode === 'local' ? signingKeyBeside(auth.sessionSecretFile) : path.join(baseDir, 'evidence-signing-key.pem');
}
