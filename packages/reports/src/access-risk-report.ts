// This project's own security report: risky access patterns beyond Teleport's Privileged Access
// Report. Tunable values are typed parameters rendered as SQL literals, never pasted text.
import { z } from 'zod';
import { containsAny, findingSql, hostOf, SSH_SESSION_WITHOUT_PROTO, WEAK_SECURITY } from './finding-sql';
import { USER_STACKED_BARS, type SecurityReport } from './model';
import { sqlInteger, sqlStringList } from '@access-monitor/sql';
import { LOGIN_WITHOUT_MFA_WHERE } from './login-mfa';
import { KUBE_EXEC_RECOMMENDATION, MFA_ACCESS_REQUESTS_DEVICE_TRUST } from './privilege-access-report';

const Name = z.string().trim().min(1).max(253);

export const AccessRiskParameters = z
  .object({
    /** Roles whose access requests are findings. */
    privilegedRoles: z.array(Name).min(1).default(['editor', 'admin', 'root']),
    /** Built-in database administrator accounts, compared case-insensitively. */
    dbAdminUsers: z.array(Name).min(1).default(['postgres', 'root', 'sa', 'admin', 'rdsadmin']),
    /** A user is a finding above this many distinct login addresses in the window. */
    maxSourceHosts: z.number().int().min(1).max(10_000).default(5),
  })
  .strict();
export type AccessRiskParameters = z.infer<typeof AccessRiskParameters>;

/** Failed logins of one user within one 10-minute interval that make a burst. */
const BURST_FAILURES = 5;
const BURST_SECONDS = 600;

/** The Access risk report built with the given parameters (defaults for any left out). */
export function accessRiskReport(parameters: z.input<typeof AccessRiskParameters> = {}): SecurityReport {
  const { privilegedRoles, dbAdminUsers, maxSourceHosts } = AccessRiskParameters.parse(parameters);
  const dbAdmins = dbAdminUsers.map((u) => u.toLowerCase());
  return {
    name: 'access_risk',
    title: 'Access risk',
    description:
      'Risky access beyond weak sessions: logins without MFA, failed-login bursts, requests for privileged roles, ' +
      'role and lock changes, database administrator accounts and logins from many addresses',
    version: '1.0.0',
    readOnly: true,
    queries: [
      {
        id: 'desktop_sessions_with_weak_security',
        title: 'Desktop sessions with weak security',
        description: 'Windows desktop sessions started without an access request, per-session MFA, impersonation or a trusted device.',
        severity: 'high',
        recommendation:
          'For Windows desktops, require per-session MFA (`require_session_mfa: true` in the role options), grant desktop logins through access requests ' +
          '(`allow.request.roles`) and require trusted devices (`device_trust.mode: required` in `cluster_auth_preference`).',
        chart: USER_STACKED_BARS,
        ...findingSql({
          from: 'windows_desktop_session_start',
          where: ['success', ...WEAK_SECURITY],
          detail: ['"user"', 'sid', 'desktop_name', 'desktop_addr', 'windows_domain', 'windows_user', 'addr_remote'],
        }),
        entityColumns: ['user', 'desktop_name'],
      },
      {
        id: 'app_sessions_with_weak_security',
        title: 'Application sessions with weak security',
        description: 'Application sessions started without an access request, per-session MFA, impersonation or a trusted device.',
        severity: 'medium',
        recommendation:
          'For applications, require per-session MFA (`require_session_mfa: true` in the role options), grant sensitive apps and cloud consoles ' +
          'through access requests (`allow.request.roles`) and require trusted devices (`device_trust.mode: required` in `cluster_auth_preference`).',
        chart: USER_STACKED_BARS,
        ...findingSql({
          from: 'app_session_start',
          // A refused start (T2007E) carries an error; the view has no success column.
          where: ['error IS NULL', ...WEAK_SECURITY],
          detail: ['"user"', 'sid', 'app_name', 'app_public_addr', 'aws_role_arn', 'addr_remote'],
        }),
        entityColumns: ['user', 'app_name'],
      },
      // The next two correct what Teleport's Privileged Access Report, kept as Teleport ships it, misses.
      {
        id: 'ssh_sessions_without_proto_with_weak_security',
        title: 'SSH sessions without proto with weak security',
        description:
          'SSH sessions from nodes that record no protocol (Teleport before 7: a `session.start` with neither proto nor Kubernetes cluster), ' +
          'started without an access request, per-session MFA, impersonation or a trusted device. Teleport’s `ssh_sessions_with_weak_security` ' +
          "counts `proto = 'ssh'` only and never shows them.",
        severity: 'high',
        recommendation: `Upgrade these nodes: they run a Teleport version that is no longer supported. Until then, for SSH servers, ${MFA_ACCESS_REQUESTS_DEVICE_TRUST}`,
        chart: USER_STACKED_BARS,
        ...findingSql({
          from: 'session_start',
          where: [SSH_SESSION_WITHOUT_PROTO, ...WEAK_SECURITY],
          detail: ['"user"', 'sid', 'login', 'server_hostname', 'server_id', 'server_addr', 'addr_remote'],
        }),
        entityColumns: ['user', 'server_id'],
      },
      {
        id: 'kube_exec_commands',
        title: 'Kubernetes exec commands with weak security',
        description:
          'Commands run in pods with `kubectl exec` (`exec` events with proto `kube`) without an access request, per-session MFA, impersonation or a trusted device: ' +
          'one row per command. Teleport’s `kube_execs` counts Kubernetes session starts instead.',
        severity: 'high',
        recommendation: KUBE_EXEC_RECOMMENDATION,
        chart: USER_STACKED_BARS,
        ...findingSql({
          from: 'exec',
          where: ["proto = 'kube'", ...WEAK_SECURITY],
          detail: ['"user"', 'sid', 'kubernetes_cluster', 'kubernetes_pod_namespace', 'kubernetes_pod_name', 'kubernetes_container_name', 'command', 'addr_remote'],
        }),
        entityColumns: ['user', 'kubernetes_cluster'],
      },
      {
        id: 'logins_without_mfa',
        title: 'Logins without MFA',
        description: 'Successful local (password) logins that used no second factor. SSO logins are left out: Teleport records no MFA device for them.',
        severity: 'high',
        recommendation:
          'Require a second factor for every local login: `tctl edit cluster_auth_preference` and set `second_factors: [webauthn]` ' +
          '(`second_factor: on` before Teleport 17); move people to SSO.',
        chart: USER_STACKED_BARS,
        ...findingSql({
          from: 'user_login',
          where: [...LOGIN_WITHOUT_MFA_WHERE],
          detail: ['"user"', 'method', 'addr_remote', 'user_agent'],
        }),
        entityColumns: ['user'],
      },
      {
        id: 'failed_login_bursts',
        title: 'Failed login bursts',
        kind: 'event',
        description: `Users with ${BURST_FAILURES} or more failed logins within one ${BURST_SECONDS / 60}-minute interval: password guessing or credential stuffing.`,
        severity: 'high',
        recommendation:
          "Check the source addresses. If the attempts are not the user's, lock the account while you investigate " +
          "(`tctl lock --user=<user> --message='failed login burst' --ttl=24h`), reset its password and MFA devices, and move the user to SSO.",
        chart: USER_STACKED_BARS,
        ...findingSql({
          from: `(
  SELECT "user", bucket, CAST(min(event_time) AS date) AS event_date, min(event_time) AS event_time, count(*) AS failures,
    array_join(array_sort(array_distinct(array_agg(host))), ', ') AS source_addresses
  FROM (
    SELECT "user", event_time, CAST(floor(to_unixtime(event_time) / ${BURST_SECONDS}) AS bigint) AS bucket, ${hostOf('addr_remote')} AS host
    FROM user_login
    WHERE NOT success AND "user" <> ''
  ) AS failed_logins
  GROUP BY "user", bucket
  HAVING count(*) >= ${BURST_FAILURES}
) AS bursts`,
          // Trino's from_unixtime is a timestamp with time zone (printed `… UTC`); the cast keeps both engines' column a timestamp.
          detail: ['"user"', `CAST(from_unixtime(bucket * ${BURST_SECONDS}) AS timestamp) AS bucket_start`, 'failures', 'source_addresses'],
        }),
        entityColumns: ['user'],
      },
      {
        id: 'access_requests_for_admin_roles',
        title: 'Access requests for admin roles',
        kind: 'event',
        description: `Access requests asking for a privileged role (${privilegedRoles.join(', ')}).`,
        severity: 'medium',
        recommendation:
          "Check each request's reason. Require two approvals for privileged roles (`thresholds: [{approve: 2, deny: 1}]` under `allow.request` " +
          'in the requester’s role), limit who may request them (`allow.request.roles`) and keep `max_duration` short.',
        chart: USER_STACKED_BARS,
        ...findingSql({
          from: 'access_request_create',
          where: [containsAny('roles', privilegedRoles)],
          detail: ['"user"', 'id AS request_id', "array_join(roles, ', ') AS roles", 'reason'],
        }),
        entityColumns: ['user'],
        parameters: [{ name: 'privilegedRoles', title: 'Privileged roles', value: privilegedRoles }],
      },
      {
        id: 'role_changes',
        title: 'Role changes',
        kind: 'event',
        description: 'Roles created, updated or deleted.',
        severity: 'medium',
        recommendation:
          'Confirm each change was planned. Manage roles as code (the Teleport Terraform provider, or `tctl create -f` from a reviewed Git repository) ' +
          'and grant `create`, `update` and `delete` on the `role` resource only to a break-glass role.',
        chart: USER_STACKED_BARS,
        ...findingSql({
          from: `(
  SELECT event_date, event_time, "user", event, name, addr_remote FROM role_created
  UNION ALL
  SELECT event_date, event_time, "user", event, name, addr_remote FROM role_updated
  UNION ALL
  SELECT event_date, event_time, "user", event, name, addr_remote FROM role_deleted
) AS changes`,
          detail: ['"user"', 'event', 'name', 'addr_remote'],
        }),
        entityColumns: ['user', 'name'],
      },
      {
        id: 'lock_removals',
        title: 'Lock removals',
        kind: 'event',
        description: 'Locks deleted: a user, role or host that was cut off may have regained access.',
        severity: 'high',
        recommendation:
          'Confirm each removal with the incident owner. Create locks with an expiry (`tctl lock --user=<user> --ttl=24h`) rather than deleting them early, ' +
          'and grant `delete` on the `lock` resource only to the security team.',
        chart: USER_STACKED_BARS,
        ...findingSql({
          from: 'lock_deleted',
          detail: ['"user"', 'name', 'lock_target_user', 'lock_target_role', 'lock_target_login', 'lock_target_server_id'],
        }),
        entityColumns: ['user', 'name'],
      },
      {
        id: 'db_admin_sessions',
        title: 'Database admin sessions',
        description: `Successful database sessions as a built-in administrator account (${dbAdmins.join(', ')}).`,
        severity: 'high',
        recommendation:
          'Remove administrator accounts from `db_users` in every role; connect as named least-privilege users, for example with automatic user provisioning ' +
          '(`create_db_user_mode: keep` and `db_roles` in the role), and grant administrator access only through access requests (`allow.request.roles`).',
        chart: USER_STACKED_BARS,
        ...findingSql({
          from: 'db_session_start',
          where: ['success', `lower(db_user) IN (${sqlStringList(dbAdmins)})`],
          detail: ['"user"', 'sid', 'db_service', 'db_protocol', 'db_name', 'db_user', 'addr_remote'],
        }),
        entityColumns: ['user', 'db_service'],
        parameters: [{ name: 'dbAdminUsers', title: 'Administrator database users', value: dbAdmins }],
      },
      {
        id: 'postgres_superuser_sessions',
        title: 'Postgres superuser sessions',
        description:
          'PostgreSQL sessions as the `postgres` superuser, refused attempts included, whatever their MFA. ' +
          'Teleport’s `db_postgres_user` ("Privileged Postgres sessions") counts every database session instead.',
        severity: 'high',
        recommendation:
          'Remove `postgres` from `db_users` in every role; connect as named least-privilege users, for example with automatic user provisioning ' +
          '(`create_db_user_mode: keep` and `db_roles` in the role), and keep superuser access behind an access request (`allow.request.roles`).',
        chart: USER_STACKED_BARS,
        ...findingSql({
          from: 'db_session_start',
          where: ["db_protocol = 'postgres'", "db_user = 'postgres'"],
          detail: ['"user"', 'sid', 'db_service', 'db_name', 'db_user', 'success', 'addr_remote'],
        }),
        entityColumns: ['user', 'db_service'],
      },
      {
        id: 'many_source_ips',
        title: 'Logins from many addresses',
        description: `Users whose successful logins came from more than ${maxSourceHosts} distinct addresses in the window: shared or stolen credentials. The chart places each user on the day of the login that crossed the threshold.`,
        severity: 'medium',
        recommendation:
          'Check with the user. Enable IP pinning (`pin_source_ip: true` in the role options) so certificates work only from the login address, ' +
          'and require trusted devices (`device_trust.mode: required` in `cluster_auth_preference`).',
        chart: USER_STACKED_BARS,
        ...findingSql({
          // event_time: the first login from the address that crossed the threshold.
          from: `(
  SELECT "user", CAST(max(CASE WHEN nth = ${sqlInteger(maxSourceHosts + 1)} THEN first_seen END) AS date) AS event_date,
    max(CASE WHEN nth = ${sqlInteger(maxSourceHosts + 1)} THEN first_seen END) AS event_time,
    count(*) AS distinct_addresses, array_join(array_agg(host ORDER BY first_seen, host), ', ') AS source_addresses
  FROM (
    SELECT "user", host, first_seen, row_number() OVER (PARTITION BY "user" ORDER BY first_seen, host) AS nth
    FROM (
      SELECT "user", host, min(event_time) AS first_seen
      FROM (
        SELECT "user", event_time, ${hostOf('addr_remote')} AS host
        FROM user_login
        WHERE success AND "user" <> '' AND addr_remote <> ''
      ) AS logins
      GROUP BY "user", host
    ) AS login_addresses
  ) AS ranked
  GROUP BY "user"
  HAVING count(*) > ${sqlInteger(maxSourceHosts)}
) AS spread`,
          detail: ['"user"', 'distinct_addresses', 'source_addresses'],
        }),
        entityColumns: ['user'],
        parameters: [{ name: 'maxSourceHosts', title: 'Most distinct login addresses per user', value: maxSourceHosts }],
      },
    ],
  };
}

/** The Access risk report with its default parameters. */
export const ACCESS_RISK_REPORT: SecurityReport = accessRiskReport();
