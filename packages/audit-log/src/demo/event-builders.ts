// Builders for the demo's Teleport events. Field names, nesting and key order follow
// TELEPORT-EVENTS.md and real Teleport 17 output (Metadata, UserMetadata, SessionMetadata,
// ServerMetadata, ConnectionMetadata, …), so the JSON reads like a real audit log.
// Absent optional fields are left `undefined`, which JSON.stringify omits like Go's omitempty.
import type {
  AccessRequestCreateEvent,
  AccessRequestReviewEvent,
  AppSessionStartEvent,
  CertificateCreateEvent,
  DatabaseSessionEndEvent,
  DatabaseSessionStartEvent,
  ExecEvent,
  InstanceJoinEvent,
  KnownAuditEvent,
  KubeRequestEvent,
  LockCreatedEvent,
  LockDeletedEvent,
  LockTarget,
  RoleCreatedEvent,
  RoleDeletedEvent,
  RoleUpdatedEvent,
  SessionEndEvent,
  SessionStartEvent,
  UserCreateEvent,
  UserLoginEvent,
  WindowsDesktopSessionEndEvent,
  WindowsDesktopSessionStartEvent,
} from '../events/audit-events';
import { EventCode } from '../events/event-codes';
import type { DeviceMetadata, UserKind } from '../events/metadata-blocks';
import { formatRfc3339Nano } from '../events/rfc3339';
import {
  DEMO_CLUSTER_NAME,
  DEMO_TELEPORT_VERSION,
  type DemoApp,
  type DemoBot,
  type DemoDatabase,
  type DemoDesktop,
  type DemoHost,
  type DemoKubeCluster,
  type DemoUser,
} from './catalog';
import type { Rng } from './prng';

export const ZERO_TIME = '0001-01-01T00:00:00Z';

type Merged<T extends object[]> = T extends [infer Head, ...infer Rest extends object[]] ? Head & Merged<Rest> : unknown;

/**
 * Copies the parts, in order, into the first one (a fresh `head`). Not object spread: V8
 * builds a spread of this many properties about 20× slower, and the demo builds 10⁶ events.
 */
function assemble<T extends object[]>(...parts: T): Merged<T> {
  const target = parts[0]!;
  for (let i = 1; i < parts.length; i++) Object.assign(target, parts[i]);
  return target as Merged<T>;
}

export type DemoActor = DemoUser | DemoBot;

export function isBot(actor: DemoActor): actor is DemoBot {
  return 'botName' in actor;
}

/** What makes a session "strong" in Teleport's Privileged Access Report. All absent = weak. */
export interface SessionSecurity {
  withMfa?: string;
  accessRequests?: string[];
  trustedDevice?: DeviceMetadata;
  impersonator?: string;
}

export const WEAK_SECURITY: SessionSecurity = {};

/** Stamps events: ids and timestamps from the run's PRNG. */
export class EventStamp {
  constructor(readonly rng: Rng) {}

  /**
   * Go's RFC3339Nano of a millisecond time: mostly 1–3 fractional digits, and now and then
   * the micro/nanosecond tail some emitters keep, so parsers meet every length.
   */
  time(ms: number): string {
    return this.rng.chance(0.03) ? formatRfc3339Nano(ms, this.rng.int(1, 999_999)) : formatRfc3339Nano(ms);
  }

  /** Nanosecond precision, as in `session_start`, `identity.expires`. */
  nanoTime(ms: number): string {
    return formatRfc3339Nano(ms, this.rng.int(0, 999_999));
  }

  head<E extends string, C extends string>(event: E, code: C, ms: number, ei = 0) {
    return { ei, event, uid: this.rng.uuid(), code, time: this.time(ms), cluster_name: DEMO_CLUSTER_NAME };
  }

  port(): number {
    return this.rng.int(49152, 65535);
  }
}

const HUMAN: UserKind = 1;
const BOT: UserKind = 2;
const SYSTEM: UserKind = 3;

function userKind(actor: DemoActor): UserKind {
  return isBot(actor) ? BOT : HUMAN;
}

function userMeta(actor: DemoActor, login: string | undefined, security: SessionSecurity) {
  const bot = isBot(actor) ? actor : undefined;
  return {
    user: actor.name,
    login,
    impersonator: security.impersonator,
    access_requests: security.accessRequests,
    trusted_device: security.trustedDevice,
    user_kind: userKind(actor),
    bot_name: bot?.botName,
    bot_instance_id: bot?.instanceId,
  };
}

function sessionMeta(sid: string, security: SessionSecurity) {
  return { sid, with_mfa: security.withMfa, private_key_policy: 'none' };
}

export interface SshSessionSpec {
  actor: DemoActor;
  host: DemoHost;
  login: string;
  clientAddr: string;
  startMs: number;
  endMs: number;
  security: SessionSecurity;
  interactive: boolean;
  command?: string;
  /** Old-format logs: `session.start` without `proto` (and without `server_hostname`). */
  oldFormat?: boolean;
}

export function sshSession(s: EventStamp, spec: SshSessionSpec): [SessionStartEvent, SessionEndEvent] {
  const sid = s.rng.uuid();
  const { actor, host, security } = spec;
  const server = {
    namespace: 'default',
    server_id: host.serverId,
    server_hostname: spec.oldFormat ? undefined : host.hostname,
    server_addr: host.addr,
    server_labels: host.labels,
    server_version: spec.oldFormat ? undefined : DEMO_TELEPORT_VERSION,
  };
  const initialCommand = spec.interactive ? [''] : [spec.command ?? 'uptime'];
  const start: SessionStartEvent = assemble(
    s.head('session.start', EventCode.SessionStart, spec.startMs),
    userMeta(actor, spec.login, security),
    sessionMeta(sid, security),
    server,
    {
      'addr.local': host.addr,
      'addr.remote': spec.clientAddr,
      proto: spec.oldFormat ? undefined : 'ssh',
      size: spec.interactive ? '80:25' : undefined,
      initial_command: initialCommand,
      session_recording: 'node',
    },
  );
  const end: SessionEndEvent = assemble(
    s.head('session.end', EventCode.SessionEnd, spec.endMs, spec.interactive ? s.rng.int(12, 900) : s.rng.int(2, 6)),
    userMeta(actor, spec.login, security),
    sessionMeta(sid, security),
    {
      'addr.remote': spec.clientAddr,
      proto: spec.oldFormat ? undefined : 'ssh',
    },
    server,
    {
      enhanced_recording: host.env === 'prod' && !isBot(actor),
      interactive: spec.interactive,
      participants: [actor.name],
      session_start: s.nanoTime(spec.startMs),
      session_stop: s.nanoTime(spec.endMs),
      session_recording: 'node',
      initial_command: initialCommand,
    },
  );
  return [start, end];
}

export interface DbSessionSpec {
  actor: DemoActor;
  db: DemoDatabase;
  dbUser: string;
  dbName: string;
  clientAddr: string;
  startMs: number;
  endMs: number;
  security: SessionSecurity;
  /** A refused connection: a TDB00W start and no end. */
  denied?: boolean;
}

export function dbSession(s: EventStamp, spec: DbSessionSpec): DatabaseSessionStartEvent[] | [DatabaseSessionStartEvent, DatabaseSessionEndEvent] {
  const sid = s.rng.uuid();
  const { actor, db, security } = spec;
  const dbMeta = {
    db_service: db.service,
    db_protocol: db.protocol,
    db_uri: db.uri,
    db_name: spec.dbName,
    db_user: spec.dbUser,
  };
  const start: DatabaseSessionStartEvent = assemble(
    s.head('db.session.start', spec.denied ? EventCode.DatabaseSessionStartFailure : EventCode.DatabaseSessionStart, spec.startMs),
    userMeta(actor, undefined, security),
    sessionMeta(sid, security),
    {
      server_id: db.serverId,
      server_version: DEMO_TELEPORT_VERSION,
      'addr.remote': spec.clientAddr,
      success: !spec.denied,
      error: spec.denied ? `access to db denied. User does not have permissions. Confirm database user and name.` : undefined,
      message: spec.denied ? `access to db denied. User does not have permissions. Confirm database user and name.` : undefined,
    },
    dbMeta,
    {
      db_labels: db.labels,
      db_type: db.type === 'rds' ? 'rds' : 'self-hosted',
      db_origin: db.type === 'rds' ? 'cloud' : 'config',
      postgres_pid: db.protocol === 'postgres' && !spec.denied ? s.rng.int(1000, 65000) : undefined,
    },
  );
  if (spec.denied) return [start];
  const end: DatabaseSessionEndEvent = assemble(
    s.head('db.session.end', EventCode.DatabaseSessionEnd, spec.endMs, s.rng.int(2, 400)),
    userMeta(actor, undefined, security),
    sessionMeta(sid, security),
    dbMeta,
    {
      'addr.remote': spec.clientAddr,
      session_start: s.nanoTime(spec.startMs),
      session_stop: s.nanoTime(spec.endMs),
      participants: [actor.name],
    },
  );
  return [start, end];
}

export interface KubeCallSpec {
  actor: DemoActor;
  cluster: DemoKubeCluster;
  groups: string[];
  clientAddr: string;
  ms: number;
  security: SessionSecurity;
  verb: string;
  namespace?: string;
  kind: string;
  apiGroup: string;
  name?: string;
  responseCode: number;
}

export function kubeRequest(s: EventStamp, spec: KubeCallSpec): KubeRequestEvent {
  const { actor, cluster, security } = spec;
  const prefix = spec.apiGroup === 'core/v1' ? '/api/v1' : `/apis/${spec.apiGroup}`;
  const scope = spec.namespace ? `/namespaces/${spec.namespace}` : '';
  const requestPath = `${prefix}${scope}/${spec.kind}${spec.name ? `/${spec.name}` : ''}`;
  return assemble(
    s.head('kube.request', EventCode.KubeRequest, spec.ms),
    userMeta(actor, actor.name, security),
    {
      'addr.remote': spec.clientAddr,
      proto: 'kube',
      namespace: 'default',
      server_id: cluster.serverId,
      server_hostname: `kube-agent-${cluster.name}`,
      server_version: DEMO_TELEPORT_VERSION,
      request_path: requestPath,
      verb: spec.verb,
      resource_api_group: spec.apiGroup,
      resource_namespace: spec.namespace,
      resource_kind: spec.kind,
      resource_name: spec.name,
      response_code: spec.responseCode,
      kubernetes_cluster: cluster.name,
      kubernetes_users: [actor.name],
      kubernetes_groups: spec.groups,
      kubernetes_labels: cluster.labels,
      sid: '',
      with_mfa: security.withMfa,
    },
  );
}

export interface KubeExecSpec {
  actor: DemoActor;
  cluster: DemoKubeCluster;
  groups: string[];
  clientAddr: string;
  startMs: number;
  endMs: number;
  security: SessionSecurity;
  namespace: string;
  pod: string;
  container: string;
  image: string;
  node: string;
  command: string;
}

/** `kubectl exec`: a kube `session.start`, the `exec` (proto kube), and `session.end`. */
export function kubeExec(s: EventStamp, spec: KubeExecSpec): [SessionStartEvent, ExecEvent, SessionEndEvent] {
  const sid = s.rng.uuid();
  const { actor, cluster, security } = spec;
  const server = { namespace: 'default', server_id: cluster.serverId, server_hostname: `kube-agent-${cluster.name}`, server_version: DEMO_TELEPORT_VERSION };
  const kube = {
    kubernetes_cluster: cluster.name,
    kubernetes_users: [actor.name],
    kubernetes_groups: spec.groups,
    kubernetes_labels: cluster.labels,
  };
  const pod = {
    kubernetes_pod_name: spec.pod,
    kubernetes_pod_namespace: spec.namespace,
    kubernetes_container_name: spec.container,
    kubernetes_container_image: spec.image,
    kubernetes_node_name: spec.node,
  };
  const start: SessionStartEvent = assemble(
    s.head('session.start', EventCode.SessionStart, spec.startMs),
    userMeta(actor, actor.name, security),
    sessionMeta(sid, security),
    server,
    {
      'addr.remote': spec.clientAddr,
      proto: 'kube',
    },
    kube,
    pod,
    {
      size: '80:25',
      initial_command: spec.command.split(' '),
      session_recording: 'node',
    },
  );
  const exec: ExecEvent = assemble(
    s.head('exec', EventCode.Exec, spec.endMs),
    userMeta(actor, actor.name, security),
    {
      'addr.remote': spec.clientAddr,
      proto: 'kube',
    },
    sessionMeta(sid, security),
    server,
    {
      command: spec.command,
      exitCode: '0',
    },
    kube,
    pod,
  );
  const end: SessionEndEvent = assemble(
    s.head('session.end', EventCode.SessionEnd, spec.endMs, s.rng.int(8, 300)),
    userMeta(actor, actor.name, security),
    sessionMeta(sid, security),
    {
      'addr.remote': spec.clientAddr,
      proto: 'kube',
    },
    server,
    kube,
    pod,
    {
      enhanced_recording: false,
      interactive: true,
      participants: [actor.name],
      session_start: s.nanoTime(spec.startMs),
      session_stop: s.nanoTime(spec.endMs),
      session_recording: 'node',
      initial_command: spec.command.split(' '),
    },
  );
  return [start, exec, end];
}

export interface AppSessionSpec {
  actor: DemoActor;
  app: DemoApp;
  clientAddr: string;
  ms: number;
  security: SessionSecurity;
}

export function appSession(s: EventStamp, spec: AppSessionSpec): AppSessionStartEvent {
  const { actor, app, security } = spec;
  return assemble(
    s.head('app.session.start', EventCode.AppSessionStart, spec.ms),
    userMeta(actor, undefined, security),
    {
      aws_role_arn: app.awsRoleArn,
    },
    sessionMeta(s.rng.uuid(), security),
    {
      server_id: app.serverId,
      server_version: DEMO_TELEPORT_VERSION,
      'addr.remote': spec.clientAddr,
      public_addr: app.publicAddr,
      app_uri: app.uri,
      app_public_addr: app.publicAddr,
      app_labels: app.labels,
      app_name: app.name,
    },
  );
}

export interface DesktopSessionSpec {
  actor: DemoActor;
  desktop: DemoDesktop;
  windowsUser: string;
  clientAddr: string;
  startMs: number;
  endMs: number;
  security: SessionSecurity;
}

export function desktopSession(s: EventStamp, spec: DesktopSessionSpec): [WindowsDesktopSessionStartEvent, WindowsDesktopSessionEndEvent] {
  const sid = s.rng.uuid();
  const { actor, desktop, security } = spec;
  const fields = {
    windows_desktop_service: desktop.serviceId,
    desktop_addr: desktop.addr,
    windows_domain: desktop.domain,
    windows_user: spec.windowsUser,
    desktop_labels: desktop.labels,
    desktop_name: desktop.name,
  };
  const start: WindowsDesktopSessionStartEvent = assemble(
    s.head('windows.desktop.session.start', EventCode.DesktopSessionStart, spec.startMs),
    userMeta(actor, spec.windowsUser, security),
    sessionMeta(sid, security),
    {
      'addr.remote': spec.clientAddr,
      proto: 'tdp',
      success: true,
    },
    fields,
    {
      allow_user_creation: false,
      nla: true,
    },
  );
  const end: WindowsDesktopSessionEndEvent = assemble(
    s.head('windows.desktop.session.end', EventCode.DesktopSessionEnd, spec.endMs, s.rng.int(20, 2000)),
    userMeta(actor, spec.windowsUser, security),
    sessionMeta(sid, security),
    {
      'addr.remote': spec.clientAddr,
      proto: 'tdp',
    },
    fields,
    {
      session_start: s.nanoTime(spec.startMs),
      session_stop: s.nanoTime(spec.endMs),
      recorded: true,
      participants: [actor.name],
    },
  );
  return [start, end];
}

export interface LoginSpec {
  user: DemoUser;
  ms: number;
  clientAddr: string;
  userAgent: string;
  /** Defaults to the user's own method. */
  method?: string;
  /** Whether the login used the user's second factor (local logins only). */
  withMfa: boolean;
  failure?: string;
}

export function userLogin(s: EventStamp, spec: LoginSpec): UserLoginEvent {
  const { user } = spec;
  const method = spec.method ?? user.loginMethod;
  const sso = method !== 'local';
  const code = sso
    ? spec.failure
      ? EventCode.UserSSOLoginFailure
      : EventCode.UserSSOLogin
    : spec.failure
      ? EventCode.UserLocalLoginFailure
      : EventCode.UserLocalLogin;
  if (spec.failure) {
    return assemble(
      s.head('user.login', code, spec.ms),
      {
        user: user.name,
        success: false,
        error: spec.failure,
        method,
        user_agent: spec.userAgent,
        'addr.remote': spec.clientAddr,
      },
    );
  }
  const device = user.mfaDevice;
  return assemble(
    s.head('user.login', code, spec.ms),
    {
      user: user.name,
      required_private_key_policy: 'none',
      user_origin: sso ? 2 : 1,
      success: true,
      method,
      attributes: sso ? { email: [user.name], groups: [user.team, 'everyone'] } : undefined,
      mfa_device:
        !sso && spec.withMfa && device ? { mfa_device_name: device.name, mfa_device_uuid: device.uuid, mfa_device_type: device.type } : undefined,
      user_agent: spec.userAgent,
      'addr.remote': spec.clientAddr,
    },
  );
}

export interface CertSpec {
  actor: DemoActor;
  ms: number;
  ttlMs: number;
  clientIp: string;
  roles: string[];
  logins: string[];
  kubernetesGroups?: string[];
  /** Set on certificates issued right after an MFA check (per-session MFA). */
  mfaDeviceUuid?: string;
  accessRequests?: string[];
  trustedDevice?: DeviceMetadata;
  userAgent?: string;
}

export function certCreate(s: EventStamp, spec: CertSpec): CertificateCreateEvent {
  const { actor } = spec;
  const bot = isBot(actor) ? actor : undefined;
  const device = spec.trustedDevice;
  return assemble(
    s.head('cert.create', EventCode.CertificateCreate, spec.ms),
    {
      cert_type: 'user',
      identity: {
        user: actor.name,
        impersonator: bot ? bot.name : undefined,
        roles: spec.roles,
        logins: [...spec.logins, '-teleport-internal-join'],
        kubernetes_groups: spec.kubernetesGroups,
        expires: s.nanoTime(spec.ms + spec.ttlMs),
        route_to_cluster: DEMO_CLUSTER_NAME,
        teleport_cluster: DEMO_CLUSTER_NAME,
        mfa_device_uuid: spec.mfaDeviceUuid,
        client_ip: spec.clientIp,
        access_requests: spec.accessRequests,
        prev_identity_expires: ZERO_TIME,
        private_key_policy: 'none',
        bot_name: bot?.botName,
        bot_instance_id: bot?.instanceId,
        device_extensions: device ? { device_id: device.device_id, asset_tag: device.asset_tag, credential_id: device.credential_id } : undefined,
      },
      user_agent: spec.userAgent,
      certificate_authority: null,
    },
  );
}

export interface AccessRequestSpec {
  user: DemoUser;
  id: string;
  ms: number;
  roles: string[];
  reason: string;
  accessExpiresMs: number;
}

export function accessRequestCreate(s: EventStamp, spec: AccessRequestSpec): AccessRequestCreateEvent {
  return assemble(
    s.head('access_request.create', EventCode.AccessRequestCreate, spec.ms),
    {
      user: spec.user.name,
      user_kind: HUMAN,
      expires: s.nanoTime(spec.accessExpiresMs),
      roles: spec.roles,
      id: spec.id,
      state: 'PENDING',
      reason: spec.reason,
    },
  );
}

export interface AccessReviewSpec {
  reviewer: DemoUser;
  id: string;
  ms: number;
  approve: boolean;
  reason: string;
  accessExpiresMs: number;
}

/** Teleport's review event has no `user`: the reviewer is in `reviewer`. */
export function accessRequestReview(s: EventStamp, spec: AccessReviewSpec): AccessRequestReviewEvent {
  const state = spec.approve ? 'APPROVED' : 'DENIED';
  return assemble(
    s.head('access_request.review', EventCode.AccessRequestReview, spec.ms),
    {
      expires: s.nanoTime(spec.accessExpiresMs),
      id: spec.id,
      state,
      reason: spec.reason,
      reviewer: spec.reviewer.name,
      proposed_state: state,
    },
  );
}

export type RoleChange = 'role.created' | 'role.updated' | 'role.deleted';

const ROLE_CODES = { 'role.created': EventCode.RoleCreated, 'role.updated': EventCode.RoleUpdated, 'role.deleted': EventCode.RoleDeleted } as const;

export function roleChange(
  s: EventStamp,
  change: RoleChange,
  actor: DemoUser,
  role: string,
  ms: number,
  clientAddr: string,
): RoleCreatedEvent | RoleUpdatedEvent | RoleDeletedEvent {
  return assemble(
    s.head(change, ROLE_CODES[change], ms),
    {
      name: role,
      expires: ZERO_TIME,
      user: actor.name,
      user_kind: HUMAN,
      'addr.remote': clientAddr,
    },
  ) as RoleCreatedEvent | RoleUpdatedEvent | RoleDeletedEvent;
}

export interface UserCreateSpec {
  /** A person, or `system` for users created by an SSO login. */
  actor: DemoUser | 'system';
  name: string;
  roles: string[];
  connector: string;
  ms: number;
  clientAddr?: string;
}

export function userCreate(s: EventStamp, spec: UserCreateSpec): UserCreateEvent {
  const person = spec.actor === 'system' ? undefined : spec.actor;
  return assemble(
    s.head('user.create', EventCode.UserCreate, spec.ms),
    {
      user: person ? person.name : 'system',
      user_kind: person ? HUMAN : SYSTEM,
      name: spec.name,
      expires: ZERO_TIME,
      roles: spec.roles,
      connector: spec.connector,
      'addr.remote': spec.clientAddr,
    },
  );
}

export interface LockSpec {
  actor: DemoUser;
  lockName: string;
  target: LockTarget;
  ms: number;
  message?: string;
  expiresMs?: number;
}

export function lockCreated(s: EventStamp, spec: LockSpec): LockCreatedEvent {
  return assemble(
    s.head('lock.created', EventCode.LockCreated, spec.ms),
    {
      name: spec.lockName,
      expires: spec.expiresMs === undefined ? ZERO_TIME : s.nanoTime(spec.expiresMs),
      user: spec.actor.name,
      user_kind: HUMAN,
      target: spec.target,
      lock: { target: spec.target },
    },
  );
}

export function lockDeleted(s: EventStamp, spec: LockSpec): LockDeletedEvent {
  return assemble(
    s.head('lock.deleted', EventCode.LockDeleted, spec.ms),
    {
      name: spec.lockName,
      expires: ZERO_TIME,
      user: spec.actor.name,
      user_kind: HUMAN,
      lock: { target: spec.target },
    },
  );
}

export interface InstanceJoinSpec {
  host: DemoHost;
  ms: number;
  tokenTtlMs: number;
}

/** An agent joining with a provisioning token; `instance.join` has no `user`. */
export function instanceJoin(s: EventStamp, spec: InstanceJoinSpec): InstanceJoinEvent {
  return assemble(
    s.head('instance.join', EventCode.InstanceJoin, spec.ms),
    {
      success: true,
      'addr.remote': spec.host.addr.replace(/:\d+$/, ''),
      host_id: spec.host.serverId,
      node_name: spec.host.hostname,
      role: 'Instance',
      method: 'token',
      token_name: `${'*'.repeat(24)}${s.rng.hex(8)}`,
      token_expires: s.nanoTime(spec.ms + spec.tokenTtlMs),
    },
  );
}

export type DemoEvent = KnownAuditEvent;
