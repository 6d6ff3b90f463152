// The metadata blocks Teleport embeds in its audit events (TELEPORT-EVENTS.md §1a).
// Teleport declares them with gogoproto `embed=true, jsontag=""`, so their fields sit
// flat at the top level of the event JSON; they are modelled here as interfaces the
// event types extend. "Always serialized" fields (no omitempty) are required.

/** Metadata: on every event. */
export interface EventMetadata {
  /** Event index within its session; `session.data` uses 2147483646. */
  ei: number;
  event: string;
  /** Usually a UUID; some logs have other strings, `cert.create` fixtures have none. */
  uid?: string;
  /** Suffix I/W/E = info/warning/error. */
  code?: string;
  /** RFC 3339, 0–9 fractional digits (Go trims trailing zeros). */
  time: string;
  cluster_name?: string;
}

/** `user_kind`: 0 unspecified, 1 human, 2 bot, 3 system. */
export type UserKind = 0 | 1 | 2 | 3;

/** DeviceMetadata: the trusted device a session came from. */
export interface DeviceMetadata {
  device_id?: string;
  /** Enum (devicetrust OSType): 1 Linux, 2 macOS, 3 Windows. */
  os_type?: number;
  asset_tag?: string;
  credential_id?: string;
  device_origin?: number;
  web_authentication?: boolean;
  web_authentication_id?: string;
}

/** UserMetadata. */
export interface UserMetadata {
  /** Teleport user; absent on events without a user (e.g. `instance.join`, access request reviews). */
  user?: string;
  /** OS login for SSH; Windows login for desktops; Teleport user name for kube. */
  login?: string;
  impersonator?: string;
  aws_role_arn?: string;
  /** IDs of the access requests the session's certificate was issued under. */
  access_requests?: string[];
  azure_identity?: string;
  gcp_service_account?: string;
  trusted_device?: DeviceMetadata;
  required_private_key_policy?: string;
  user_kind?: UserKind;
  bot_name?: string;
  bot_instance_id?: string;
  /** Enum: 1 local, 2 SSO, 3 Okta, 4 SCIM, 5 EntraID. */
  user_origin?: number;
  user_roles?: string[];
  user_traits?: Record<string, string[] | null>;
  user_cluster_name?: string;
}

/** SessionMetadata. */
export interface SessionMetadata {
  /** Always serialized, possibly "". */
  sid: string;
  /** UUID of the MFA device used to start the session (per-session MFA). */
  with_mfa?: string;
  private_key_policy?: string;
}

/** ServerMetadata. */
export interface ServerMetadata {
  namespace?: string;
  /** Always serialized: the host UUID. */
  server_id: string;
  server_hostname?: string;
  server_addr?: string;
  server_labels?: Record<string, string>;
  forwarded_by?: string;
  server_sub_kind?: string;
  server_version?: string;
}

/** ConnectionMetadata: note the literal dots in the keys. */
export interface ConnectionMetadata {
  'addr.local'?: string;
  /** Client address, `host:port`, IPv6 bracketed. */
  'addr.remote'?: string;
  /** `ssh`, `kube`, `tdp`, …; missing on old-format `session.start`. */
  proto?: string;
}

/** ClientMetadata. */
export interface ClientMetadata {
  user_agent?: string;
}

/** Status. */
export interface StatusFields {
  success: boolean;
  error?: string;
  message?: string;
}

/** ResourceMetadata: the resource an admin event is about. */
export interface ResourceMetadata {
  name?: string;
  /** RFC 3339; the zero time `0001-01-01T00:00:00Z` appears when unset. */
  expires?: string;
  updated_by?: string;
  ttl?: string;
}

/** KubernetesClusterMetadata. */
export interface KubernetesClusterMetadata {
  kubernetes_cluster?: string;
  kubernetes_users?: string[];
  kubernetes_groups?: string[];
  kubernetes_labels?: Record<string, string>;
}

/** KubernetesPodMetadata. */
export interface KubernetesPodMetadata {
  kubernetes_pod_name?: string;
  kubernetes_pod_namespace?: string;
  kubernetes_container_name?: string;
  kubernetes_container_image?: string;
  kubernetes_node_name?: string;
}

/** DatabaseMetadata. */
export interface DatabaseMetadata {
  db_service?: string;
  /** Always serialized: `postgres`, `mysql`, `mongodb`, `sqlserver`, … */
  db_protocol: string;
  /** Always serialized. */
  db_uri: string;
  db_name?: string;
  db_user?: string;
  db_labels?: Record<string, string>;
  db_aws_region?: string;
  db_aws_redshift_cluster_id?: string;
  db_gcp_project_id?: string;
  db_gcp_instance_id?: string;
  db_roles?: string[];
  db_type?: string;
  db_origin?: string;
}

/** AppMetadata. */
export interface AppMetadata {
  app_uri?: string;
  app_public_addr?: string;
  app_labels?: Record<string, string>;
  app_name?: string;
  app_target_port?: number;
  sub_kind?: string;
}

/** CommandMetadata: camelCase keys, exit code as a string. */
export interface CommandMetadata {
  command: string;
  exitCode?: string;
  exitError?: string;
}
