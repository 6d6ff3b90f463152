// Teleport's built-in Privileged Access Report (ACCESS-MONITORING.md): the same report name, query
// names, titles and semantics, with two corrections: a session.start without proto or Kubernetes
// cluster is SSH (nodes before v7 wrote no proto), and every query also has a detail query.
import { findingSql, SSH_SESSION, WEAK_SECURITY } from './finding-sql';
import { USER_STACKED_BARS, type SecurityReport } from './model';

const MFA_ACCESS_REQUESTS_DEVICE_TRUST =
  'require per-session MFA (`require_session_mfa: true` in the role options, or cluster-wide in `cluster_auth_preference`), ' +
  'grant the access through access requests (`allow.request.roles` in the requester’s role) instead of standing roles, ' +
  'and require trusted devices (`device_trust.mode: required` in `cluster_auth_preference`, or `device_trust_mode: required` in the role options).';

export const PRIVILEGE_ACCESS_REPORT: SecurityReport = {
  name: 'privilege_access_report',
  title: 'Privileged Access Report',
  description: 'Identify sessions using weak security measures across your infrastructure',
  // Teleport's version of the report; the corrections above do not change what its queries mean.
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
      ...findingSql({
        from: 'db_session_start',
        where: WEAK_SECURITY,
        detail: ['"user"', 'sid', 'db_service', 'db_protocol', 'db_name', 'db_user', 'success', 'addr_remote'],
      }),
      entityColumns: ['user', 'db_service'],
    },
    {
      id: 'kube_execs',
      title: 'Kube Execs',
      description: 'Commands run in pods with `kubectl exec` without an access request, per-session MFA, impersonation or a trusted device.',
      severity: 'high',
      recommendation:
        'Eliminate routine `kubectl exec`: ship changes through CI/CD instead. Where exec is still needed, require per-session MFA ' +
        '(`require_session_mfa: true` in the role options), moderated sessions (`require_session_join` in the role), ' +
        'and grant pod access only through access requests (`allow.request.roles`).',
      chart: USER_STACKED_BARS,
      ...findingSql({
        from: 'exec',
        where: ["proto = 'kube'", ...WEAK_SECURITY],
        detail: ['"user"', 'sid', 'kubernetes_cluster', 'kubernetes_pod_namespace', 'kubernetes_pod_name', 'kubernetes_container_name', 'command', 'addr_remote'],
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
      ...findingSql({
        from: 'kube_request',
        where: WEAK_SECURITY,
        detail: ['"user"', 'kubernetes_cluster', 'verb', 'request_path', 'response_code', 'addr_remote'],
      }),
      entityColumns: ['user', 'kubernetes_cluster'],
    },
    {
      id: 'ssh_sessions_with_weak_security',
      title: 'SSH sessions with weak security',
      description: 'SSH sessions started without an access request, per-session MFA, impersonation or a trusted device.',
      severity: 'high',
      recommendation: `For SSH servers, ${MFA_ACCESS_REQUESTS_DEVICE_TRUST}`,
      chart: USER_STACKED_BARS,
      ...findingSql({
        from: 'session_start',
        where: [SSH_SESSION, ...WEAK_SECURITY],
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
      ...findingSql({
        from: 'cert_create',
        where: ["from_iso8601_timestamp(identity_expires) > from_iso8601_timestamp(time) + INTERVAL '1' DAY"],
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
      description: 'PostgreSQL sessions as the `postgres` superuser.',
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
      id: 'instance_join_token_less_than_1d',
      title: 'Long-lived join tokens',
      description: 'Teleport instances that joined with a join token still valid more than one day after the join.',
      severity: 'medium',
      recommendation:
        'Create join tokens with a short TTL (`tctl tokens add --type=node --ttl=15m`) and remove static tokens from `auth_service.tokens`; ' +
        'where the platform allows it, use delegated joining (`iam`, `gcp`, `azure` or `kubernetes` join methods), which shares no secret.',
      // Teleport's own chart stacks joins by node name.
      chart: { ...USER_STACKED_BARS, series: 'node_name' },
      ...findingSql({
        from: 'instance_join',
        where: ["from_iso8601_timestamp(token_expires) > from_iso8601_timestamp(time) + INTERVAL '1' DAY"],
        series: [{ name: 'node_name' }, { name: 'host_id' }],
        detail: ['node_name', 'host_id', 'role', 'method', 'token_name', 'token_expires', 'success', 'addr_remote'],
      }),
      entityColumns: ['node_name', 'host_id'],
    },
    {
      id: 'session_start_root_user',
      title: 'Root SSH sessions',
      description: 'SSH sessions logged in as `root`.',
      severity: 'high',
      recommendation:
        'Remove `root` from the `logins` of every role; give people their own logins with sudo instead, ' +
        'for example automatic host users (`create_host_user_mode: keep` and `host_sudoers` in the role).',
      chart: USER_STACKED_BARS,
      ...findingSql({
        from: 'session_start',
        where: [SSH_SESSION, "login = 'root'"],
        detail: ['"user"', 'sid', 'login', 'server_hostname', 'server_id', 'addr_remote'],
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
      ...findingSql({
        from: 'kube_request',
        where: ["contains(kubernetes_groups, 'system:masters')"],
        detail: ['"user"', 'kubernetes_cluster', 'verb', 'request_path', 'response_code', 'addr_remote'],
      }),
      entityColumns: ['user', 'kubernetes_cluster'],
    },
  ],
};
