import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './load-config';

const VALID = `access_monitoring:
  enabled: true
  role_arn: arn:aws:iam::123456789012:role/AccessMonitoringRole
  report_results: file:///var/lib/access-monitor/report_results
  workgroup: access_monitoring_workgroup
audit_events_uri: parquet:///var/lib/access-monitor/events
limits:
  max_bytes_scanned: 10GB
  query_timeout: 15m
`;

function errorOf(text: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    parseConfig(text, { file: 'access-monitor.yaml', env });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('reads Teleport\'s access_monitoring block and the embedded audit source', () => {
    const c = parseConfig(VALID, { env: {} });
    expect(c.roleArn).toBe('arn:aws:iam::123456789012:role/AccessMonitoringRole');
    expect(c.workgroup).toBe('access_monitoring_workgroup');
    expect(c.auditEvents).toEqual({ kind: 'parquet', dir: '/var/lib/access-monitor/events' });
    expect(c.reportResults).toEqual({ kind: 'file', dir: '/var/lib/access-monitor/report_results' });
    expect(c.limits).toEqual({ maxBytesScanned: 10_000_000_000, queryTimeoutMs: 900_000, maxRunningPerUser: 3, maxRunningService: 8, maxRunningTotal: 32, resultRetentionMs: 7 * 86_400_000, interactiveTimeoutMs: 120_000, engineMemoryBytes: 1024 ** 3, maxResultBytes: 1024 ** 3, resultsQuotaPerUser: 10 * 1024 ** 3 });
    expect(parseConfig(VALID.replace('limits:', 'limits:\n  engine_memory: 256MiB\n  engine_threads: 2\n  max_result_bytes: 10MB\n  interactive_timeout: 30s'), { env: {} }).limits).toMatchObject({ engineMemoryBytes: 256 * 1024 ** 2, engineThreads: 2, maxResultBytes: 10_000_000, interactiveTimeoutMs: 30_000 });
    expect(parseConfig(VALID.replace('limits:', 'limits:\n  result_retention: 2d'), { env: {} }).limits.resultRetentionMs).toBe(2 * 86_400_000);
    expect(parseConfig(VALID.replace('limits:', 'limits:\n  results_quota_per_user: 2GB'), { env: {} }).limits.resultsQuotaPerUser).toBe(2_000_000_000);
    expect(c.server).toEqual({ host: '127.0.0.1', port: 8080, trustedProxies: [] });
    expect(c.metrics).toEqual({});
  });

  it('lists the supported engine schemes when audit_events_uri names another', () => {
    expect(errorOf(VALID.replace('parquet:///var/lib/access-monitor/events', 'mysql://x'))).toContain('audit_events_uri: expected parquet:///path/to/events (embedded DuckDB) or athena://');
    expect(errorOf(VALID.replace('parquet:///var/lib/access-monitor/events', 'mysql://x'))).toContain('mysql:// is not a supported scheme (supported: parquet, athena)');
  });

  it('names the file, line and key of a malformed value', () => {
    expect(errorOf(VALID.replace('parquet:///var/lib/access-monitor/events', 'mysql://x'))).toMatch(/^access-monitor\.yaml:6: audit_events_uri: expected parquet:/);
    expect(errorOf(VALID.replace('10GB', 'ten gigs'))).toMatch(/^access-monitor\.yaml:8: limits\.max_bytes_scanned: expected a size/);
    expect(errorOf(VALID.replace('arn:aws:iam::123456789012:role/AccessMonitoringRole', 'AccessMonitoringRole'))).toMatch(
      /:3: access_monitoring\.role_arn: expected an IAM role ARN/,
    );
  });

  it('names a missing required key and refuses unknown keys', () => {
    expect(errorOf(VALID.replace(/ {2}report_results:.*\n/, ''))).toMatch(/access_monitoring\.report_results/);
    expect(errorOf(`${VALID}colour: blue\n`)).toMatch(/:10: \(top level\): unknown key colour: not a known setting/);
  });

  it('points at the line of broken YAML', () => {
    expect(errorOf('access_monitoring:\n  enabled: true\n   report_results: [\n')).toMatch(/^access-monitor\.yaml:\d+:\d+: not valid YAML/);
  });

  it('lets environment variables override the file for containers', () => {
    const c = parseConfig(VALID, { env: { ACCESS_MONITOR_AUDIT_EVENTS_URI: 'parquet:///data/events', ACCESS_MONITOR_PORT: '9090' } });
    expect(c.auditEvents).toEqual({ kind: 'parquet', dir: '/data/events' });
    expect(c.server.port).toBe(9090);
    expect(errorOf(VALID, { ACCESS_MONITOR_PORT: 'eighty' })).toMatch(/server\.port/);
  });

  it('trusts forwarding headers from no proxy unless server.trusted_proxies names addresses or CIDRs', () => {
    const c = parseConfig(`${VALID}server:\n  trusted_proxies: [10.0.0.5, 10.1.0.0/16, '::1', 'fd00::/8', loopback]\n`, { env: {} });
    expect(c.server.trustedProxies).toEqual(['10.0.0.5', '10.1.0.0/16', '::1', 'fd00::/8', 'loopback']);
    expect(errorOf(`${VALID}server:\n  trusted_proxies: [everyone]\n`)).toMatch(/:11: server\.trusted_proxies\.0: expected an IP address or CIDR/);
    expect(errorOf(`${VALID}server:\n  trusted_proxies: [10.0.0.0/33]\n`)).toMatch(/server\.trusted_proxies\.0/);
  });

  it('reads the metrics bearer token file relative to the config file', () => {
    const c = parseConfig(`${VALID}metrics:\n  bearer_token_file: ./metrics.token\n`, { file: '/etc/access-monitor/access-monitor.yaml', env: {} });
    expect(c.metrics).toEqual({ bearerTokenFile: '/etc/access-monitor/metrics.token' });
    expect(errorOf(`${VALID}metrics:\n  token: abc\n`)).toMatch(/metrics: unknown key token/);
  });

  it('caps how far ahead an accepted risk may expire: 90 days unless triage says otherwise', () => {
    expect(parseConfig(VALID, { env: {} }).triage).toEqual({ maxAcceptedRiskDays: 90 });
    expect(parseConfig(`${VALID}triage:\n  max_accepted_risk_days: 30\n`, { env: {} }).triage).toEqual({ maxAcceptedRiskDays: 30 });
    expect(errorOf(`${VALID}triage:\n  max_accepted_risk_days: 0\n`)).toMatch(/:11: triage\.max_accepted_risk_days/);
  });

  it('links sessions to Teleport\'s player only with teleport.proxy_url, the cluster defaulting to the JWT issuer', () => {
    expect(parseConfig(VALID, { env: {} }).sessionPlayer).toBeUndefined();
    const local = `${VALID}teleport:\n  proxy_url: https://teleport.example.com/\n  cluster_name: prod\n`;
    expect(parseConfig(local, { env: {} }).sessionPlayer).toEqual({ proxyUrl: 'https://teleport.example.com', cluster: 'prod' });
    const jwt = `${VALID}auth:\n  mode: teleport\n  teleport:\n    jwks_url: https://teleport.example.com/.well-known/jwks.json\n    cluster_name: example\n    audience: am\nteleport:\n  proxy_url: https://teleport.example.com\n`;
    expect(parseConfig(jwt, { env: {} }).sessionPlayer).toEqual({ proxyUrl: 'https://teleport.example.com', cluster: 'example' });
    expect(errorOf(`${VALID}teleport:\n  proxy_url: https://teleport.example.com\n`)).toMatch(/teleport\.cluster_name/);
    expect(errorOf(`${VALID}teleport:\n  proxy_url: javascript:alert(1)\n  cluster_name: prod\n`)).toMatch(/teleport\.proxy_url/);
  });

  it('reads limits.scan_budget as bytes per refill period, and has none unless set', () => {
    expect(parseConfig(VALID, { env: {} }).limits.scanBudget).toBeUndefined();
    const c = parseConfig(VALID.replace('limits:', 'limits:\n  scan_budget: { bytes: 5GB, refill_after: 1h }'), { env: {} });
    expect(c.limits.scanBudget).toEqual({ bytes: 5_000_000_000, refillAfterMs: 3_600_000 });
    expect(errorOf(VALID.replace('limits:', 'limits:\n  scan_budget: { bytes: 5GB, refill_after: 10s }'))).toMatch(/limits\.scan_budget\.refill_after/);
  });
});
