import { isIP } from 'node:net';
import { z } from 'zod';
import { parseEngineUri } from '@access-monitor/engine';
import { ENGINES } from '../engine-for-config';
import { ActionsConfig } from '../actions/delivery/actions-config';
import { parseBytes, parseDuration } from './units';

const Bytes = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = parseBytes(v);
  if (n === null) ctx.addIssue({ code: 'custom', message: `expected a size such as 10GB or 512MiB, got ${JSON.stringify(v)}` });
  return n ?? 0;
});
const Duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = parseDuration(v);
  if (n === null) ctx.addIssue({ code: 'custom', message: `expected a duration such as 15m, 90s or 1h, got ${JSON.stringify(v)}` });
  return n ?? 0;
});

/** An address or CIDR Express may take forwarding headers from (or one of its names: loopback, linklocal, uniquelocal). */
const TrustedProxy = z.string().refine(
  (s) => {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(s)) return true;
    const [address, prefix, ...rest] = s.split('/');
    const family = isIP(address ?? '');
    if (family === 0 || rest.length > 0) return false;
    return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
  },
  { message: 'expected an IP address or CIDR such as 10.0.0.5 or 10.0.0.0/8 (or loopback, linklocal, uniquelocal)' },
);

/** Default `limits.result_retention`: results of ad-hoc queries are kept a week. */
export const RESULT_RETENTION_MS = 7 * 86_400_000;

/** Default `limits.interactive_timeout`, `limits.engine_memory` and `limits.max_result_bytes`. */
export const INTERACTIVE_TIMEOUT_MS = 2 * 60_000;
// 1 GiB keeps the server within 1.5 GB of resident memory on a small VM (issue 13's 10M-event report); DuckDB spills past it.
export const ENGINE_MEMORY_BYTES = 1024 ** 3;
export const MAX_RESULT_BYTES = 1024 ** 3;
/** Default `limits.results_quota_per_user`: ten results of the largest size allowed. */
export const RESULTS_QUOTA_PER_USER_BYTES = 10 * 1024 ** 3;

/** Default `triage.max_accepted_risk_days`: an accepted risk is looked at again within a quarter. */
export const DEFAULT_MAX_ACCEPTED_RISK_DAYS = 90;

/** Teleport's own `auth_service.access_monitoring` keys. */
const AccessMonitoring = z
  .object({
    enabled: z.boolean().default(true),
    role_arn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'expected an IAM role ARN such as arn:aws:iam::123456789012:role/AccessMonitoringRole').optional(),
    report_results: z.string().regex(/^(s3|file):\/\/.+/, 'expected s3://bucket/prefix or file:///absolute/path'),
    workgroup: z.string().min(1).optional(),
  })
  .strict();

/** A URI whose scheme names an engine of the registry, as that engine's entry reads it. */
const AuditEventsUri = z.string().superRefine((uri, ctx) => {
  try {
    parseEngineUri(ENGINES, uri, '/');
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

const Auth = z
  .object({
    mode: z.enum(['local', 'teleport']).default('local'),
    local: z
      .object({
        /** YAML list of { name, password_hash (scrypt), roles }. Relative to the config file. */
        users_file: z.string().min(1),
        /** HMAC key for session cookies; shared by every instance. Created (0600) when missing. */
        session_secret_file: z.string().min(1).optional(),
        session_ttl: Duration.default(12 * 3_600_000),
      })
      .strict()
      .optional(),
    teleport: z
      .object({
        jwks_url: z.url({ protocol: /^https?$/, error: 'expected the cluster\'s JWKS URL, e.g. https://teleport.example.com/.well-known/jwks.json' }),
        cluster_name: z.string().min(1),
        audience: z.string().min(1),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.mode === 'local' && !a.local) ctx.addIssue({ code: 'custom', path: ['local'], message: 'auth.mode is local: auth.local.users_file is required' });
    if (a.mode === 'teleport' && !a.teleport)
      ctx.addIssue({ code: 'custom', path: ['teleport'], message: 'auth.mode is teleport: auth.teleport.jwks_url, cluster_name and audience are required' });
  });

const Endpoint = z.url({ protocol: /^https?$/, error: 'expected an endpoint URL such as http://127.0.0.1:9000' });

/** AWS client settings. Production needs none of them (region from the URI, credentials from the default chain or role_arn). */
const Aws = z
  .object({
    /** Default region when the athena:// URI names none. */
    region: z.string().min(1).optional(),
    /** Athena-, S3- and STS-compatible endpoints instead of AWS's (VPC endpoints, or `access-monitor aws-local`). */
    endpoints: z.object({ athena: Endpoint.optional(), s3: Endpoint.optional(), sts: Endpoint.optional() }).strict().default({}),
    /** Address buckets as <endpoint>/<bucket>; S3-compatible servers need it. */
    s3_force_path_style: z.boolean().default(false),
    /** Static keys, for loopback peers only; in production use the default chain (instance role, env) and role_arn. */
    static_credentials: z.object({ access_key_id: z.string().min(1), secret_access_key: z.string().min(1) }).strict().optional(),
  })
  .strict();

export const ConfigFile = z
  .object({
    access_monitoring: AccessMonitoring,
    audit_events_uri: AuditEventsUri,
    /** Teleport file audit logs to follow: new lines are imported into the parquet:// folder as they are written. */
    audit_sources: z.array(z.string().regex(/^file:\/\/.+/, 'expected file:///var/lib/teleport/log (a Teleport data, log or auth-server folder, or one log file)')).default([]),
    /** How often the audit sources are read for new lines. */
    audit_sources_interval: Duration.default(10_000),
    auth: Auth.optional(),
    aws: Aws.optional(),
    /** Teleport role YAML files (globs allowed) adding to the presets auditor and editor. */
    roles: z.array(z.string().min(1)).default([]),
    /** The background refresh of the built-in security reports, per report and window. */
    reports: z
      .object({
        refresh_enabled: z.boolean().default(true),
        refresh_interval: Duration.refine((ms) => ms >= 60_000, 'refresh_interval must be at least 1m').default(24 * 3_600_000),
        refresh_on_start: z.boolean().default(true),
        /** Names this instance across restarts (default: the host name), so a run it was doing when it stopped is recovered. */
        instance_id: z.string().min(1).max(128).optional(),
      })
      .strict()
      .default({ refresh_enabled: true, refresh_interval: 24 * 3_600_000, refresh_on_start: true }),
    evidence: z
      .object({
        /** Ed25519 private key (PKCS#8 PEM) evidence manifests are signed with; shared by every instance. Created (0600) when missing. */
        signing_key_file: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
    /** Triage of findings: how far ahead an accepted risk may be set to expire. */
    /** Response actions: where rules may send findings (destinations, allowed hosts), tctl for locks. */
    actions: ActionsConfig.extend({
      /** How often the scheduler looks for due rules. */
      tick: Duration.refine((ms) => ms >= 1_000, 'actions.tick must be at least 1s').default(30_000),
      /** The dashboard's address as people reach it, for links in notifications (default: relative links). */
      public_url: z.url({ protocol: /^https?$/ }).optional(),
    }).prefault({}),
    triage: z
      .object({ max_accepted_risk_days: z.number().int().min(1).max(3650).default(DEFAULT_MAX_ACCEPTED_RISK_DAYS) })
      .strict()
      .default({ max_accepted_risk_days: DEFAULT_MAX_ACCEPTED_RISK_DAYS }),
    /** Teleport's web UI, for 'Play in Teleport' links on rows carrying a session id (none without proxy_url). */
    teleport: z
      .object({
        proxy_url: z.url({ protocol: /^https?$/, error: 'expected the Teleport proxy\'s web address, e.g. https://teleport.example.com' }),
        /** Default: auth.teleport.cluster_name (the JWT issuer) in teleport mode. */
        cluster_name: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    server: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (client address, https); default none. */
        trusted_proxies: z.array(TrustedProxy).default([]),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8080, trusted_proxies: [] }),
    /** Prometheus scraping: GET /metrics needs `Authorization: Bearer <the file's token>`; without a file it answers 404. */
    metrics: z
      .object({ bearer_token_file: z.string().min(1).optional() })
      .strict()
      .default({}),
    limits: z
      .object({
        max_bytes_scanned: Bytes.optional(),
        query_timeout: Duration.default(15 * 60_000),
        max_running_per_user: z.number().int().min(1).default(3),
        /** The server's own queries (report runs, response actions, charts) at once; more wait for a slot. */
        max_running_service: z.number().int().min(1).default(8),
        /** All queries this instance runs at once; users over it get 429, server work waits. */
        max_running_total: z.number().int().min(1).default(32),
        /** How long an execution's result stays readable; older ones answer 410 …/result-gone. */
        result_retention: Duration.default(RESULT_RETENTION_MS),
        /** Ad-hoc queries of people (HTTP editor, CLI) are stopped past this; report runs and response actions use query_timeout. */
        interactive_timeout: Duration.default(INTERACTIVE_TIMEOUT_MS),
        /** DuckDB's memory_limit: past it a query spills to disk or fails with an out-of-memory error. */
        engine_memory: Bytes.default(ENGINE_MEMORY_BYTES),
        /** DuckDB's worker threads (default: the machine's cores). */
        engine_threads: z.number().int().min(1).max(256).optional(),
        /** A result larger than this stops the query and fails it with …/result-too-large. */
        max_result_bytes: Bytes.default(MAX_RESULT_BYTES),
        /** Bytes of a user's results kept (within result_retention), across instances; over it new queries get 429 …/results-quota-exceeded. */
        results_quota_per_user: Bytes.default(RESULTS_QUOTA_PER_USER_BYTES),
        /** Report pages, run permalinks and overviews kept serialised in memory (default 64 MiB). */
        serving_cache_bytes: Bytes.optional(),
        /** Bytes all queries may scan per period, shared by every instance (Teleport's cost limiter); spent → 429 …/scan-budget-exhausted. */
        scan_budget: z
          .object({ bytes: Bytes, refill_after: Duration.refine((ms) => ms >= 60_000, 'limits.scan_budget.refill_after must be at least 1m') })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.audit_sources.length > 0 && !c.audit_events_uri.startsWith('parquet://'))
      ctx.addIssue({ code: 'custom', path: ['audit_sources'], message: 'audit_sources are imported into the embedded Parquet folder: audit_events_uri must be parquet:///path' });
    if (c.teleport && !c.teleport.cluster_name && !(c.auth?.mode === 'teleport' && c.auth.teleport))
      ctx.addIssue({ code: 'custom', path: ['teleport', 'cluster_name'], message: 'teleport.proxy_url is set: teleport.cluster_name is required unless auth.mode is teleport' });
  });
export type ConfigFile = z.infer<typeof ConfigFile>;
