/**
 * Every interactive session of the cluster, one row per session start, as Athena-dialect SQL over
 * the event views. A `session.start` with no `proto` and no Kubernetes cluster is SSH: Teleport
 * wrote no `proto` before v7 and those logs are still audited.
 */
export const SESSIONS_CTE = `sessions AS (
  SELECT event_date, event_time, 'ssh' AS protocol, "user", with_mfa FROM session_start
  WHERE coalesce(proto, 'ssh') = 'ssh' AND kubernetes_cluster IS NULL
  UNION ALL
  SELECT event_date, event_time, 'kube' AS protocol, "user", with_mfa FROM session_start
  WHERE proto = 'kube' OR kubernetes_cluster IS NOT NULL
  UNION ALL
  SELECT event_date, event_time, 'db' AS protocol, "user", with_mfa FROM db_session_start WHERE success
  UNION ALL
  SELECT event_date, event_time, 'app' AS protocol, "user", with_mfa FROM app_session_start
  UNION ALL
  SELECT event_date, event_time, 'desktop' AS protocol, "user", with_mfa FROM windows_desktop_session_start WHERE success
)`;

/** The resource each session of SESSIONS_CTE went to (host, Kubernetes cluster, database, app or desktop), by protocol. */
export const RESOURCES_CTE = `resources AS (
  SELECT 'ssh' AS protocol, coalesce(server_hostname, server_id) AS resource FROM session_start
  WHERE coalesce(proto, 'ssh') = 'ssh' AND kubernetes_cluster IS NULL
  UNION ALL
  SELECT 'kube' AS protocol, kubernetes_cluster AS resource FROM session_start
  WHERE proto = 'kube' OR kubernetes_cluster IS NOT NULL
  UNION ALL
  SELECT 'db' AS protocol, db_service AS resource FROM db_session_start WHERE success
  UNION ALL
  SELECT 'app' AS protocol, app_name AS resource FROM app_session_start
  UNION ALL
  SELECT 'desktop' AS protocol, desktop_name AS resource FROM windows_desktop_session_start WHERE success
)`;
