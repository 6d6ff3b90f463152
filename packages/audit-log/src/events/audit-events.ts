// Teleport audit events as they appear in the file log and in Athena's `event_data`
// (TELEPORT-EVENTS.md §3). Only the fields this project reads or writes are declared;
// real events carry more, and `AuditEvent` keeps every field verbatim.
import type { EventCode } from './event-codes';
import type {
  AppMetadata,
  ClientMetadata,
  CommandMetadata,
  ConnectionMetadata,
  DatabaseMetadata,
  EventMetadata,
  KubernetesClusterMetadata,
  KubernetesPodMetadata,
  ResourceMetadata,
  ServerMetadata,
  SessionMetadata,
  StatusFields,
  UserMetadata,
} from './metadata-blocks';

export interface SessionStartEvent
  extends EventMetadata, UserMetadata, SessionMetadata, ServerMetadata, ConnectionMetadata, KubernetesClusterMetadata, KubernetesPodMetadata {
  event: 'session.start';
  code?: typeof EventCode.SessionStart;
  /** Terminal `W:H`. */
  size?: string;
  initial_command?: string[];
  /** node (default), proxy, node-sync, proxy-sync, off. */
  session_recording?: string;
  invited?: string[];
  reason?: string;
}

export interface SessionEndEvent
  extends EventMetadata, UserMetadata, SessionMetadata, ConnectionMetadata, ServerMetadata, KubernetesClusterMetadata, KubernetesPodMetadata {
  event: 'session.end';
  code?: typeof EventCode.SessionEnd;
  enhanced_recording: boolean;
  /** False for exec (non-PTY) sessions. */
  interactive: boolean;
  participants: string[];
  session_start?: string;
  session_stop?: string;
  session_recording?: string;
  initial_command?: string[];
}

export interface DatabaseSessionStartEvent
  extends EventMetadata, UserMetadata, SessionMetadata, ServerMetadata, ConnectionMetadata, StatusFields, DatabaseMetadata, ClientMetadata {
  event: 'db.session.start';
  code?: typeof EventCode.DatabaseSessionStart | typeof EventCode.DatabaseSessionStartFailure;
  postgres_pid?: number;
}

export interface DatabaseSessionEndEvent extends EventMetadata, UserMetadata, SessionMetadata, DatabaseMetadata, ConnectionMetadata {
  event: 'db.session.end';
  code?: typeof EventCode.DatabaseSessionEnd;
  session_start?: string;
  session_stop?: string;
  participants?: string[];
}

export interface AppSessionStartEvent extends EventMetadata, UserMetadata, SessionMetadata, ServerMetadata, ConnectionMetadata, AppMetadata {
  event: 'app.session.start';
  code?: typeof EventCode.AppSessionStart | typeof EventCode.AppSessionStartFailure;
  /** Deprecated but always serialized. */
  public_addr: string;
  error?: string;
  message?: string;
}

interface DesktopFields {
  windows_desktop_service?: string;
  desktop_addr?: string;
  windows_domain?: string;
  windows_user?: string;
  desktop_labels?: Record<string, string>;
  desktop_name?: string;
  allow_user_creation?: boolean;
  nla?: boolean;
}

export interface WindowsDesktopSessionStartEvent extends EventMetadata, UserMetadata, SessionMetadata, ConnectionMetadata, StatusFields, DesktopFields {
  event: 'windows.desktop.session.start';
  code?: typeof EventCode.DesktopSessionStart | typeof EventCode.DesktopSessionStartFailure;
}

export interface WindowsDesktopSessionEndEvent extends EventMetadata, UserMetadata, SessionMetadata, ConnectionMetadata, DesktopFields {
  event: 'windows.desktop.session.end';
  code?: typeof EventCode.DesktopSessionEnd;
  session_start?: string;
  session_stop?: string;
  recorded?: boolean;
  participants?: string[];
}

export interface KubeRequestEvent
  extends EventMetadata, UserMetadata, ConnectionMetadata, ServerMetadata, KubernetesClusterMetadata, Partial<SessionMetadata> {
  event: 'kube.request';
  code?: typeof EventCode.KubeRequest;
  request_path?: string;
  verb?: string;
  resource_api_group?: string;
  resource_namespace?: string;
  resource_kind?: string;
  resource_name?: string;
  response_code?: number;
}

/** `exec`: SSH exec or, with `proto: 'kube'`, `kubectl exec`. */
export interface ExecEvent
  extends EventMetadata, UserMetadata, ConnectionMetadata, SessionMetadata, ServerMetadata, CommandMetadata, KubernetesClusterMetadata, KubernetesPodMetadata {
  event: 'exec';
  code?: typeof EventCode.Exec | typeof EventCode.ExecFailure;
}

export interface InstanceJoinEvent extends EventMetadata, StatusFields, ConnectionMetadata {
  event: 'instance.join';
  code?: typeof EventCode.InstanceJoin | typeof EventCode.InstanceJoinFailure;
  host_id?: string;
  node_name?: string;
  /** System role, e.g. `Instance`. */
  role?: string;
  /** Join method, e.g. `token`. */
  method?: string;
  /** Masked: `************************a2418147`. */
  token_name?: string;
  /** RFC 3339 expiry of the join token. */
  token_expires?: string;
  attributes?: Record<string, unknown>;
}

/** The MFA device used at login: a nested object on `user.login` only. */
export interface LoginMfaDevice {
  mfa_device_name: string;
  mfa_device_uuid: string;
  /** `TOTP`, `U2F`, `WebAuthn`, `SSO`, `unknown`. */
  mfa_device_type: string;
  mfa_via_browser?: boolean;
}

export interface UserLoginEvent extends EventMetadata, UserMetadata, StatusFields, ClientMetadata, ConnectionMetadata {
  event: 'user.login';
  code?:
    | typeof EventCode.UserLocalLogin
    | typeof EventCode.UserLocalLoginFailure
    | typeof EventCode.UserSSOLogin
    | typeof EventCode.UserSSOLoginFailure
    | 'T1010I'
    | 'T1011W'
    | 'T1012I'
    | 'T1013I'
    | 'T1013W'
    | 'T1014W';
  /** `local`, `oidc`, `saml`, `github`, `client.cert`, `headless`. */
  method?: string;
  attributes?: Record<string, unknown>;
  mfa_device?: LoginMfaDevice;
  applied_login_rules?: string[];
  connector_id?: string;
}

/** The identity encoded in an issued certificate (nested under `cert.create`). */
export interface CertificateIdentity {
  user?: string;
  impersonator?: string;
  roles?: string[];
  usage?: string[];
  logins?: string[];
  kubernetes_groups?: string[];
  kubernetes_users?: string[];
  /** RFC 3339; always present. */
  expires: string;
  route_to_cluster?: string;
  kubernetes_cluster?: string;
  traits?: Record<string, string[] | null>;
  teleport_cluster?: string;
  route_to_database?: { service_name?: string; protocol?: string; username?: string; database?: string; roles?: string[] };
  database_names?: string[];
  database_users?: string[];
  /** Set when the identity was confirmed by an MFA check just before issuing. */
  mfa_device_uuid?: string;
  client_ip?: string;
  aws_role_arns?: string[];
  access_requests?: string[];
  disallow_reissue?: boolean;
  /** Always present; the zero time when there is no parent identity. */
  prev_identity_expires: string;
  private_key_policy?: string;
  bot_name?: string;
  bot_instance_id?: string;
  device_extensions?: { device_id?: string; asset_tag?: string; credential_id?: string };
}

/** `cert.create` has no UserMetadata: the subject is `identity.user`. */
export interface CertificateCreateEvent extends EventMetadata, ClientMetadata {
  event: 'cert.create';
  code?: typeof EventCode.CertificateCreate;
  cert_type?: string;
  identity: CertificateIdentity;
  certificate_authority?: { type?: string; domain?: string; subject_key_id?: string } | null;
}

interface AccessRequestFields extends EventMetadata, UserMetadata, ResourceMetadata {
  roles?: string[];
  /** Request ID; always serialized. */
  id: string;
  /** `PENDING`, `APPROVED`, `DENIED`; for reviews, the state after the review. */
  state: string;
  delegator?: string;
  reason?: string;
  annotations?: Record<string, unknown>;
  max_duration?: string;
}

export interface AccessRequestCreateEvent extends AccessRequestFields {
  event: 'access_request.create';
  code?: typeof EventCode.AccessRequestCreate;
}

/** Reviews carry no `user`: the reviewer is `reviewer`. */
export interface AccessRequestReviewEvent extends AccessRequestFields {
  event: 'access_request.review';
  code?: typeof EventCode.AccessRequestReview;
  reviewer?: string;
  proposed_state?: string;
}

/** Role events: `name` is the role, `user` the actor. */
interface RoleChangeFields extends EventMetadata, ResourceMetadata, UserMetadata, ConnectionMetadata {}

export interface RoleCreatedEvent extends RoleChangeFields {
  event: 'role.created';
  code?: typeof EventCode.RoleCreated;
}

export interface RoleUpdatedEvent extends RoleChangeFields {
  event: 'role.updated';
  code?: typeof EventCode.RoleUpdated;
}

export interface RoleDeletedEvent extends RoleChangeFields {
  event: 'role.deleted';
  code?: typeof EventCode.RoleDeleted;
}

/** `name` is the new user, `user` the actor. */
export interface UserCreateEvent extends EventMetadata, UserMetadata, ResourceMetadata, ConnectionMetadata {
  event: 'user.create';
  code?: typeof EventCode.UserCreate;
  roles: string[];
  /** `local` or the SSO connector name; always serialized. */
  connector: string;
}

export interface LockTarget {
  user?: string;
  role?: string;
  login?: string;
  node?: string;
  mfa_device?: string;
  windows_desktop?: string;
  access_request?: string;
  device?: string;
  server_id?: string;
  bot_instance_id?: string;
  join_token?: string;
}

export interface LockCreatedEvent extends EventMetadata, ResourceMetadata, UserMetadata {
  event: 'lock.created';
  code?: typeof EventCode.LockCreated;
  /** Deprecated duplicate of `lock.target`. */
  target?: LockTarget;
  lock?: { target?: LockTarget };
}

export interface LockDeletedEvent extends EventMetadata, ResourceMetadata, UserMetadata {
  event: 'lock.deleted';
  code?: typeof EventCode.LockDeleted;
  lock?: { target?: LockTarget };
}

/** Each modelled event type by its `event` string. */
export interface AuditEventByType {
  'session.start': SessionStartEvent;
  'session.end': SessionEndEvent;
  'db.session.start': DatabaseSessionStartEvent;
  'db.session.end': DatabaseSessionEndEvent;
  'app.session.start': AppSessionStartEvent;
  'windows.desktop.session.start': WindowsDesktopSessionStartEvent;
  'windows.desktop.session.end': WindowsDesktopSessionEndEvent;
  'kube.request': KubeRequestEvent;
  exec: ExecEvent;
  'instance.join': InstanceJoinEvent;
  'user.login': UserLoginEvent;
  'cert.create': CertificateCreateEvent;
  'access_request.create': AccessRequestCreateEvent;
  'access_request.review': AccessRequestReviewEvent;
  'role.created': RoleCreatedEvent;
  'role.updated': RoleUpdatedEvent;
  'role.deleted': RoleDeletedEvent;
  'user.create': UserCreateEvent;
  'lock.created': LockCreatedEvent;
  'lock.deleted': LockDeletedEvent;
}

export type AuditEventType = keyof AuditEventByType;
export type KnownAuditEvent = AuditEventByType[AuditEventType];

/**
 * Any event read from a log: only what the parser guarantees is typed, every field is
 * kept verbatim. Narrow it with `isAuditEventOfType`.
 */
export type AuditEvent = { event: string; time: string; [field: string]: unknown };

/**
 * Narrows by the `event` string. It does not validate the fields: imported logs
 * have quirks (missing `uid`, missing `proto`), so readers must still treat
 * optional fields as optional.
 */
export function isAuditEventOfType<T extends AuditEventType>(event: AuditEvent, type: T): event is AuditEvent & AuditEventByType[T] {
  return event.event === type;
}
