// The metadata blocks Teleport embeds (gogoproto embed + empty jsontag) at the top level of event JSON.
// Source: api/proto/teleport/legacy/types/events/events.proto; see TELEPORT-EVENTS.md §1a.
import { bigint, boolean, integer, json, labels, nested, strings, timestamp, varchar } from './fields';

/** M: Metadata. */
export const METADATA = [
  integer('ei', 'Event index within the session'), // int64, but indexes stay below 2^31 (session.data uses MaxInt32 - 1)
  varchar('event', 'Event type'),
  varchar('uid', 'Unique event ID'),
  varchar('code', 'Event code; the suffix I/W/E means info/warning/error'),
  timestamp('time', 'Event time'),
  varchar('cluster_name', 'Teleport cluster that emitted the event'),
];

/** U: UserMetadata. */
export const USER = [
  varchar('user', 'Teleport user'),
  varchar('login', 'OS login, or database/Kubernetes user'),
  varchar('impersonator', 'User acting on behalf of another user'),
  varchar('aws_role_arn', 'AWS IAM role assumed'),
  strings('access_requests', 'IDs of the access requests the certificate was issued with'),
  varchar('azure_identity', 'Azure identity assumed'),
  varchar('gcp_service_account', 'GCP service account assumed'),
  ...nested('trusted_device', [
    varchar('device_id', 'Trusted device ID (null when no trusted device was used)'),
    integer('os_type', 'Device OS type (1 Linux, 2 macOS, 3 Windows)'),
    varchar('asset_tag', 'Device asset tag'),
    varchar('credential_id', 'Device credential ID'),
    integer('device_origin', 'Device origin (1 API, 2 Jamf, 3 Intune)'),
    boolean('web_authentication', 'Device authenticated on behalf of a web session'),
    varchar('web_authentication_id', 'Web authentication ID'),
  ]),
  varchar('required_private_key_policy', 'Private key policy enforced for this login'),
  integer('user_kind', 'User kind: 1 human, 2 bot, 3 system'),
  varchar('bot_name', 'Bot name, for Machine ID bots'),
  varchar('bot_instance_id', 'Bot instance ID'),
  integer('user_origin', 'User origin: 1 local, 2 SSO, 3 Okta, 4 SCIM, 5 Entra ID'),
  strings('user_roles', 'Roles of the user'),
  json('user_traits', 'Traits of the user'),
  varchar('user_cluster_name', 'Cluster the user belongs to'),
];

/** S: SessionMetadata. */
export const SESSION = [
  varchar('sid', 'Session ID'),
  varchar('with_mfa', 'UUID of the MFA device used to start the session (null without per-session MFA)'),
  varchar('private_key_policy', 'Private key policy of the key used for the session'),
];

/** Srv: ServerMetadata. */
export const SERVER = [
  varchar('namespace', 'Server namespace'),
  varchar('server_id', 'Host UUID'),
  varchar('server_hostname', 'Server hostname'),
  varchar('server_addr', 'Server address'),
  ...labels('server_labels', 'Server labels'),
  varchar('forwarded_by', 'Node that forwarded the event'),
  varchar('server_sub_kind', 'Server sub kind'),
  varchar('server_version', 'Teleport version of the server'),
];

/** C: ConnectionMetadata. The keys contain a literal dot: `addr.remote` → column addr_remote. */
export const CONNECTION = [
  varchar('addr.local', 'Target address on the host'),
  varchar('addr.remote', 'Client address (host:port)'),
  varchar('proto', 'Protocol: ssh, kube, tdp, …'),
];

/** Cl: ClientMetadata. */
export const CLIENT = [varchar('user_agent', 'Client user agent')];

/** St: Status. */
export const STATUS = [
  boolean('success', 'Whether the action succeeded'),
  varchar('error', 'Error, on failure'),
  varchar('message', 'User-facing message'),
];

/** R: ResourceMetadata. */
export const RESOURCE = [
  varchar('name', 'Name of the affected resource'),
  timestamp('expires', 'Resource expiry'),
  varchar('updated_by', 'User who updated the resource'),
  varchar('ttl', 'Resource TTL'),
  varchar('scope', 'Scope the resource belongs to'),
];

/** K: KubernetesClusterMetadata. */
export const KUBERNETES_CLUSTER = [
  varchar('kubernetes_cluster', 'Kubernetes cluster'),
  strings('kubernetes_users', 'Kubernetes users of the user'),
  strings('kubernetes_groups', 'Kubernetes groups of the user'),
  ...labels('kubernetes_labels', 'Kubernetes cluster labels'),
];

/** KP: KubernetesPodMetadata. */
export const KUBERNETES_POD = [
  varchar('kubernetes_pod_name', 'Pod name'),
  varchar('kubernetes_pod_namespace', 'Pod namespace'),
  varchar('kubernetes_container_name', 'Container name'),
  varchar('kubernetes_container_image', 'Container image'),
  varchar('kubernetes_node_name', 'Node running the pod'),
];

/** DB: DatabaseMetadata. */
export const DATABASE = [
  varchar('db_service', 'Database service name'),
  varchar('db_protocol', 'Database protocol: postgres, mysql, mongodb, …'),
  varchar('db_uri', 'Database URI'),
  varchar('db_name', 'Database name'),
  varchar('db_user', 'Database user'),
  ...labels('db_labels', 'Database labels'),
  varchar('db_aws_region', 'AWS region of the database'),
  varchar('db_aws_redshift_cluster_id', 'Redshift cluster ID'),
  varchar('db_gcp_project_id', 'GCP project ID'),
  varchar('db_gcp_instance_id', 'GCP instance ID'),
  strings('db_roles', 'Database roles'),
  varchar('db_type', 'Database type'),
  varchar('db_origin', 'Database resource origin'),
];

/** A: AppMetadata. */
export const APP = [
  varchar('app_uri', 'Application URI'),
  varchar('app_public_addr', 'Application public address'),
  ...labels('app_labels', 'Application labels'),
  varchar('app_name', 'Application name'),
  integer('app_target_port', 'Target port of a multi-port TCP application'),
  varchar('sub_kind', 'Application sub kind'),
];

/** CommandMetadata (exec, scp). `exitCode` is a string and camelCase in the JSON. */
export const COMMAND = [
  varchar('command', 'Command'),
  varchar('exitCode', 'Exit code (text)'),
  varchar('exitError', 'Exit error'),
];

/** BPF: BPFMetadata (enhanced session recording). */
export const BPF = [
  integer('pid', 'Process ID'),
  // Teleport: integer. uint64 kernel ids: kept bigint, a cast to integer would fail the query.
  bigint('cgroup_id', 'cgroup ID'),
  varchar('program', 'Program name'),
  // Teleport: integer. uint32 whose unset value is 4294967295: kept bigint.
  bigint('audit_session_id', 'Audit session ID'),
];

/** WindowsDesktopMetadata. */
export const WINDOWS_DESKTOP = [
  varchar('windows_desktop_service', 'Windows desktop service proxying the session'),
  varchar('desktop_addr', 'Desktop address'),
  varchar('windows_domain', 'Active Directory domain'),
  varchar('windows_user', 'Windows user'),
  ...labels('desktop_labels', 'Desktop labels'),
];
