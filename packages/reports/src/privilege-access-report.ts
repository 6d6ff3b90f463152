// Teleport's built-in Privileged Access Report (ACCESS-MONITORING.md): the same report name, query
// names and titles, and each chart query is Teleport's shipped SQL, unchanged, so a team moving from
// Teleport sees the same numbers. What this project adds is a detail query per finding (one row per
// counted event, under exactly Teleport's conditions), severities and recommendations. Where Teleport's
// queries count more or other than their titles say, the corrected findings are in the Access risk
// report (access-risk-report.ts), not here.
import { findingSql, WEAK_SECURITY, type FindingShape } from './finding-sql';
import { USER_STACKED_BARS, type SecurityReport } from './model';
import { teleportShippedSql } from './teleport-privilege-access-queries';

/** Teleport's query text as the chart query, and a detail query selecting exactly the events it counts. */
function asShipped(id: string, shape: FindingShape): { chartSql: string; detailSql: string } {
  return { chartSql: teleportShippedSql(id), detailSql: findingSql(shape).detailSql };
}

/** The recommendation shared by the weak-session findings, after "For <kind>, ". */
/** What to change so `kubectl exec` stops being a finding (Teleport's Kubernetes sessions here, the commands in access_risk). */
export const KUBE_EXEC_RECOMMENDATION =
  'Eliminate routine `kubectl exec`: ship changes through CI/CD instead. Where exec is still needed, require per-session MFA ' +
  '(`require_session_mfa: true` in the role options), moderated sessions (`require_session_join` in the role), ' +
  'and grant pod access only through access requests (`allow.request.roles`).';

export const MFA_ACCESS_REQUESTS_DEVICE_TRUST =
  'require per-session MFA (`require_session_mfa: true` in the role options, or cluster-wide in `cluster_auth_preference`), ' +
  'grant the access through access requests (`allow.request.roles` in the requester’s role) instead of standing roles, ' +
  'and require trusted devices (`device_trust.mode: required` in `cluster_auth_preference`, or `device_trust_mode: required` in the role options).';

export const PRIVILEGE_ACCESS_REPORT: SecurityReport = {
  name: 'privilege_access_report',
  title: 'Privileged Access Report',
  description: 'Identify sessions using weak security measures across your infrastructure',
  // Teleport's version of the report.
  version: '0.0.1',
  readOnly: true,
  queries: [
    {
      id: 'database_sessions_with_weak_security',
      title: 'Database sessions with weak security',
      description: 'Database sessions started without an access request, per-session MFA, impersonation or a trusted device.',
      severity: 'high',
      recommendation: `For databases, ${MFA_ACCESS_REQUESTS_DEVICE_TRUST}`,
      chart: USER_STACKED_BARS,
      ...asShipped('database_sessions_with_weak_security', {
        from: 'db_session_start',
        where: WEAK_SECURITY,
        detail: ['"user"', 'sid', 'db_service', 'db_protocol', 'db_name', 'db_user', 'success', 'addr_remote'],
      }),
      entityColumns: ['user', 'db_service'],
    },
    {
      id: 'kube_execs',
      title: 'Kube Execs',
      description:
        'Kubernetes sessions (`session.start` with proto `kube`: `kubectl exec` and `attach`) started without an access request, per-session MFA, ' +
        'impersonation or a trusted device. The commands themselves (`exec` events) are the Access risk report’s `kube_exec_commands`.',
      severity: 'high',
      recommendation: KUBE_EXEC_RECOMMENDATION,
      chart: USER_STACKED_BARS,
      ...asShipped('kube_execs', {
        from: 'session_start',
        where: [...WEAK_SECURITY, "proto = 'kube'"],
        detail: ['"user"', 'sid', 'kubernetes_cluster', 'kubernetes_pod_namespace', 'kubernetes_pod_name', 'kubernetes_container_name', 'login', 'addr_remote'],
      }),
      entityColumns: ['user', 'kubernetes_cluster'],
    },
    {
      id: 'kube_access_with_weak_security',
      title: 'Kubernetes API calls with weak security',
      description: 'Kubernetes API requests made without an access request, per-session MFA, impersonation or a trusted device.',
      severity: 'medium',
      recommendation: `For Kubernetes clusters, ${MFA_ACCESS_REQUESTS_DEVICE_TRUST}`,
      chart: USER_STACKED_BARS,
      ...asShipped('kube_access_with_weak_security', {
        from: 'kube_request',
        where: WEAK_SECURITY,
        detail: ['"user"', 'kubernetes_cluster', 'verb', 'request_path', 'response_code', 'addr_remote'],
      }),
      entityColumns: ['user', 'kubernetes_cluster'],
    },
    {
      id: 'ssh_sessions_with_weak_security',
      title: 'SSH sessions with weak security',
      description:
        'SSH sessions (proto `ssh`) started without an access request, per-session MFA, impersonation or a trusted device. ' +
        'Sessions from nodes that record no proto (before Teleport 7) are the Access risk report’s `ssh_sessions_without_proto_with_weak_security`.',
      severity: 'high',
      recommendation: `For SSH servers, ${MFA_ACCESS_REQUESTS_DEVICE_TRUST}`,
      chart: USER_STACKED_BARS,
      ...asShipped('ssh_sessions_with_weak_security', {
        from: 'session_start',
        where: [...WEAK_SECURITY, "proto = 'ssh'"],
        detail: ['"user"', 'sid', 'login', 'server_hostname', 'server_id', 'addr_remote'],
      }),
      entityColumns: ['user'],
    },
    {
      id: 'cert_expiration_more_than_1d',
      title: 'Long lived certificates',
      description: 'User certificates issued valid for more than one day.',
      severity: 'medium',
      recommendation:
        'Keep certificates shorter than a working day: set `max_session_ttl: 8h` in the options of every role. ' +
        'Give automation short-lived certificates from Machine ID (`tbot`) instead of long-lived user certificates.',
      chart: USER_STACKED_BARS,
      ...asShipped('cert_expiration_more_than_1d', {
        from: 'cert_create',
        where: ["from_iso8601_timestamp(identity_expires) - from_iso8601_timestamp(time) > INTERVAL '1' DAY"],
        series: [{ name: 'user', expr: 'identity_user' }],
        detail: [
          'identity_user AS "user"',
          'cert_type',
          'identity_expires AS expires',
          "date_diff('hour', from_iso8601_timestamp(time), from_iso8601_timestamp(identity_expires)) AS valid_hours",
          'identity_client_ip AS client_ip',
        ],
      }),
      entityColumns: ['user'],
    },
    {
      id: 'db_postgres_user',
      title: 'Privileged Postgres sessions',
      description:
        'Every database session start, per user: Teleport’s query has no condition, whatever its title says, and this finding keeps Teleport’s numbers. ' +
        'Sessions as the `postgres` superuser alone are the Access risk report’s `postgres_superuser_sessions`.',
      severity: 'medium',
      recommendation:
        'Check that each user needs standing database access; connect as named least-privilege users, for example with automatic user provisioning ' +
        '(`create_db_user_mode: keep` and `db_roles` in the role), and keep superuser access (`postgres`) behind an access request (`allow.request.roles`).',
      chart: USER_STACKED_BARS,
      ...asShipped('db_postgres_user', {
        from: 'db_session_start',
        detail: ['"user"', 'sid', 'db_service', 'db_protocol', 'db_name', 'db_user', 'success', 'addr_remote'],
      }),
      entityColumns: ['user', 'db_service'],
    },
    {
      id: 'instance_join_token_less_than_1d',
      title: 'Long-lived join tokens',
      description: 'Teleport instances that joined with a join token still valid more than one day after the join.',
      severity: 'medium',
      recommendation:
        'Create join tokens with a short TTL (`tctl tokens add --type=node --ttl=15m`) and remove static tokens from `auth_service.tokens`; ' +
        'where the platform allows it, use delegated joining (`iam`, `gcp`, `azure` or `kubernetes` join methods), which shares no secret.',
      // Teleport's own chart stacks joins by node name.
      chart: { ...USER_STACKED_BARS, series: 'node_name' },
      ...asShipped('instance_join_token_less_than_1d', {
        from: 'instance_join',
        where: ["FROM_ISO8601_TIMESTAMP(token_expires) - FROM_ISO8601_TIMESTAMP(time) > INTERVAL '1' DAY"],
        series: [{ name: 'node_name' }, { name: 'host_id' }],
        detail: ['node_name', 'host_id', 'role', 'method', 'token_name', 'token_expires', 'success', 'addr_remote'],
      }),
      entityColumns: ['node_name', 'host_id'],
    },
    {
      id: 'session_start_root_user',
      title: 'Root SSH sessions',
      description: 'Sessions logged in as `root`: SSH sessions, from old nodes too, and any other session whose login is `root`.',
      severity: 'high',
      recommendation:
        'Remove `root` from the `logins` of every role; give people their own logins with sudo instead, ' +
        'for example automatic host users (`create_host_user_mode: keep` and `host_sudoers` in the role).',
      chart: USER_STACKED_BARS,
      ...asShipped('session_start_root_user', {
        from: 'session_start',
        where: ["login = 'root'"],
        detail: ['"user"', 'sid', 'login', 'proto', 'server_hostname', 'server_id', 'addr_remote'],
      }),
      entityColumns: ['user'],
    },
    {
      id: 'kube_system_api_calls',
      title: 'System Kubernetes API calls',
      description: 'Kubernetes API requests made as the `system:masters` group, which bypasses Kubernetes RBAC.',
      severity: 'critical',
      recommendation:
        'Remove `system:masters` from `kubernetes_groups` in every role; map people to groups bound to the `view` or `edit` ClusterRoles, ' +
        'and keep cluster-admin behind an access request (`allow.request.roles`).',
      chart: USER_STACKED_BARS,
      ...asShipped('kube_system_api_calls', {
        from: 'kube_request',
        where: ["contains(kubernetes_groups, 'system:masters')"],
        detail: ['"user"', 'kubernetes_cluster', 'verb', 'request_path', 'response_code', 'addr_remote'],
      }),
      entityColumns: ['user', 'kubernetes_cluster'],
    },
  ],
};
