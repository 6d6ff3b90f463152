// Builders for the demo's Teleport events. Field names, nesting and key order follow
// TELEPORT-EVENTS.md and real Teleport 17 output (Metadata, UserMetadata, SessionMetadata,
// ServerMetadata, ConnectionMetadata, …), so the JSON reads like a real audit log.
// Each builder writes the event's JSON text directly, member by member, in the order Teleport
// writes them: building objects and calling JSON.stringify cost about 20 µs an event, and the demo
// writes millions. Absent optional fields are left out, like Go's omitempty.
import type { LockTarget } from '../events/audit-events';
import { EventCode } from '../events/event-codes';
import type { DeviceMetadata, UserKind } from '../events/metadata-blocks';
import { formatRfc3339Nano } from '../events/rfc3339';
import type { AthenaRow } from '../parquet/athena-row';
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

/** A generated event: its JSON text (`eventData`) and the Athena columns taken from it. */
export type DemoEvent = AthenaRow;

/** A JSON string (or any value) exactly as JSON.stringify writes it. */
const q: (value: string | readonly string[] | number | boolean) => string = JSON.stringify;

const written = new WeakMap<object, string>();

/** JSON of a catalog object or array (labels, roles, devices): written once, reused for every event. */
function cached(value: object): string {
  let json = written.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    written.set(value, json);
  }
  return json;
}

/** `,"key":<JSON>` when the value is present, else nothing (omitempty). */
function opt(member: string, value: string | readonly string[] | undefined): string {
  return value === undefined ? '' : `${member}${q(value)}`;
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

/** The start of an event's JSON (Teleport's Metadata block) and what its Athena row takes from it. */
interface Head {
  json: string;
  uid: string;
  type: string;
  ms: number;
}

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

  head(event: string, code: string, ms: number, ei = 0): Head {
    const uid = this.rng.uuid();
    return { json: `{"ei":${ei},"event":"${event}","uid":"${uid}","code":"${code}","time":"${this.time(ms)}","cluster_name":${CLUSTER}`, uid, type: event, ms };
  }

  port(): number {
    return this.rng.int(49152, 65535);
  }
}

const CLUSTER = q(DEMO_CLUSTER_NAME);
const VERSION = q(DEMO_TELEPORT_VERSION);

/** The event: its head, then `members` (each starting with a comma), closed. */
function finish(head: Head, members: string, user = '', sid = ''): DemoEvent {
  return { uid: head.uid, sessionId: sid, eventType: head.type, eventTimeMs: head.ms, eventData: `${head.json}${members}}`, user };
}

const HUMAN: UserKind = 1;
const BOT: UserKind = 2;
const SYSTEM: UserKind = 3;

/** UserMetadata. */
function userMeta(actor: DemoActor, login: string | undefined, security: SessionSecurity): string {
  const bot = isBot(actor) ? actor : undefined;
  return (
    `,"user":${q(actor.name)}${opt(',"login":', login)}${opt(',"impersonator":', security.impersonator)}` +
    `${opt(',"access_requests":', security.accessRequests)}${security.trustedDevice ? `,"trusted_device":${cached(security.trustedDevice)}` : ''}` +
    `,"user_kind":${bot ? BOT : HUMAN}${bot ? `,"bot_name":${q(bot.botName)},"bot_instance_id":${q(bot.instanceId)}` : ''}`
  );
}

/** SessionMetadata. */
function sessionMeta(sid: string, security: SessionSecurity): string {
  return `,"sid":"${sid}"${opt(',"with_mfa":', security.withMfa)},"private_key_policy":"none"`;
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

export function sshSession(s: EventStamp, spec: SshSessionSpec): [DemoEvent, DemoEvent] {
  const sid = s.rng.uuid();
  const { actor, host, security } = spec;
  const server =
    `,"namespace":"default","server_id":${q(host.serverId)}${spec.oldFormat ? '' : `,"server_hostname":${q(host.hostname)}`}` +
    `,"server_addr":${q(host.addr)},"server_labels":${cached(host.labels)}${spec.oldFormat ? '' : `,"server_version":${VERSION}`}`;
  const proto = spec.oldFormat ? '' : ',"proto":"ssh"';
  const initialCommand = `,"initial_command":[${q(spec.interactive ? '' : (spec.command ?? 'uptime'))}]`;
  const user = userMeta(actor, spec.login, security);
  const session = sessionMeta(sid, security);
  const start = finish(
    s.head('session.start', EventCode.SessionStart, spec.startMs),
    `${user}${session}${server},"addr.local":${q(host.addr)},"addr.remote":${q(spec.clientAddr)}${proto}` +
      `${spec.interactive ? ',"size":"80:25"' : ''}${initialCommand},"session_recording":"node"`,
    actor.name,
    sid,
  );
  const endHead = s.head('session.end', EventCode.SessionEnd, spec.endMs, spec.interactive ? s.rng.int(12, 900) : s.rng.int(2, 6));
  const end = finish(
    endHead,
    `${user}${session},"addr.remote":${q(spec.clientAddr)}${proto}${server}` +
      `,"enhanced_recording":${host.env === 'prod' && !isBot(actor)},"interactive":${spec.interactive},"participants":[${q(actor.name)}]` +
      `,"session_start":"${s.nanoTime(spec.startMs)}","session_stop":"${s.nanoTime(spec.endMs)}","session_recording":"node"${initialCommand}`,
    actor.name,
    sid,
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

export function dbSession(s: EventStamp, spec: DbSessionSpec): [DemoEvent] | [DemoEvent, DemoEvent] {
  const sid = s.rng.uuid();
  const { actor, db, security } = spec;
  const dbMeta = `,"db_service":${q(db.service)},"db_protocol":${q(db.protocol)},"db_uri":${q(db.uri)},"db_name":${q(spec.dbName)},"db_user":${q(spec.dbUser)}`;
  const user = userMeta(actor, undefined, security);
  const session = sessionMeta(sid, security);
  const denied = spec.denied ? `,"error":${DB_DENIED},"message":${DB_DENIED}` : '';
  const startHead = s.head('db.session.start', spec.denied ? EventCode.DatabaseSessionStartFailure : EventCode.DatabaseSessionStart, spec.startMs);
  const start = finish(
    startHead,
    `${user}${session},"server_id":${q(db.serverId)},"server_version":${VERSION},"addr.remote":${q(spec.clientAddr)},"success":${!spec.denied}${denied}` +
      `${dbMeta},"db_labels":${cached(db.labels)},"db_type":"${db.type === 'rds' ? 'rds' : 'self-hosted'}","db_origin":"${db.type === 'rds' ? 'cloud' : 'config'}"` +
      `${db.protocol === 'postgres' && !spec.denied ? `,"postgres_pid":${s.rng.int(1000, 65000)}` : ''}`,
    actor.name,
    sid,
  );
  if (spec.denied) return [start];
  const endHead = s.head('db.session.end', EventCode.DatabaseSessionEnd, spec.endMs, s.rng.int(2, 400));
  const end = finish(
    endHead,
    `${user}${session}${dbMeta},"addr.remote":${q(spec.clientAddr)}` +
      `,"session_start":"${s.nanoTime(spec.startMs)}","session_stop":"${s.nanoTime(spec.endMs)}","participants":[${q(actor.name)}]`,
    actor.name,
    sid,
  );
  return [start, end];
}

const DB_DENIED = q('access to db denied. User does not have permissions. Confirm database user and name.');

/** Who makes a burst of Kubernetes API calls, from where, to which cluster: the same for every call of the burst. */
export interface KubeCaller {
  actor: DemoActor;
  cluster: DemoKubeCluster;
  groups: string[];
  clientAddr: string;
  security: SessionSecurity;
}

export interface KubeCallSpec {
  ms: number;
  verb: string;
  namespace?: string;
  kind: string;
  apiGroup: string;
  name?: string;
  responseCode: number;
}

/**
 * Builds the `kube.request` events of one caller. The members the calls share are written once per
 * caller: a burst's calls are four in ten of the demo's events.
 */
export function kubeRequests(s: EventStamp, caller: KubeCaller): (call: KubeCallSpec) => DemoEvent {
  const { actor, cluster, security } = caller;
  const before =
    `${userMeta(actor, actor.name, security)},"addr.remote":${q(caller.clientAddr)},"proto":"kube","namespace":"default"` +
    `,"server_id":${q(cluster.serverId)},"server_hostname":${q(`kube-agent-${cluster.name}`)},"server_version":${VERSION}`;
  const after = `${kubeCluster(actor, cluster, caller.groups)},"sid":""${opt(',"with_mfa":', security.withMfa)}`;
  return (call) => {
    const prefix = call.apiGroup === 'core/v1' ? '/api/v1' : `/apis/${call.apiGroup}`;
    const scope = call.namespace ? `/namespaces/${call.namespace}` : '';
    const requestPath = `${prefix}${scope}/${call.kind}${call.name ? `/${call.name}` : ''}`;
    return finish(
      s.head('kube.request', EventCode.KubeRequest, call.ms),
      `${before},"request_path":${q(requestPath)},"verb":${q(call.verb)},"resource_api_group":${q(call.apiGroup)}${opt(',"resource_namespace":', call.namespace)}` +
        `,"resource_kind":${q(call.kind)}${opt(',"resource_name":', call.name)},"response_code":${call.responseCode}${after}`,
      actor.name,
    );
  };
}

/** KubernetesClusterMetadata. */
function kubeCluster(actor: DemoActor, cluster: DemoKubeCluster, groups: readonly string[]): string {
  return `,"kubernetes_cluster":${q(cluster.name)},"kubernetes_users":[${q(actor.name)}],"kubernetes_groups":${cached(groups)},"kubernetes_labels":${cached(cluster.labels)}`;
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
export function kubeExec(s: EventStamp, spec: KubeExecSpec): [DemoEvent, DemoEvent, DemoEvent] {
  const sid = s.rng.uuid();
  const { actor, cluster, security } = spec;
  const server = `,"namespace":"default","server_id":${q(cluster.serverId)},"server_hostname":${q(`kube-agent-${cluster.name}`)},"server_version":${VERSION}`;
  const kube = kubeCluster(actor, cluster, spec.groups);
  const pod =
    `,"kubernetes_pod_name":${q(spec.pod)},"kubernetes_pod_namespace":${q(spec.namespace)},"kubernetes_container_name":${q(spec.container)}` +
    `,"kubernetes_container_image":${q(spec.image)},"kubernetes_node_name":${q(spec.node)}`;
  const user = userMeta(actor, actor.name, security);
  const session = sessionMeta(sid, security);
  const connection = `,"addr.remote":${q(spec.clientAddr)},"proto":"kube"`;
  const initialCommand = `,"initial_command":${q(spec.command.split(' '))}`;
  const start = finish(
    s.head('session.start', EventCode.SessionStart, spec.startMs),
    `${user}${session}${server}${connection}${kube}${pod},"size":"80:25"${initialCommand},"session_recording":"node"`,
    actor.name,
    sid,
  );
  const exec = finish(
    s.head('exec', EventCode.Exec, spec.endMs),
    `${user}${connection}${session}${server},"command":${q(spec.command)},"exitCode":"0"${kube}${pod}`,
    actor.name,
    sid,
  );
  const endHead = s.head('session.end', EventCode.SessionEnd, spec.endMs, s.rng.int(8, 300));
  const end = finish(
    endHead,
    `${user}${session}${connection}${server}${kube}${pod},"enhanced_recording":false,"interactive":true,"participants":[${q(actor.name)}]` +
      `,"session_start":"${s.nanoTime(spec.startMs)}","session_stop":"${s.nanoTime(spec.endMs)}","session_recording":"node"${initialCommand}`,
    actor.name,
    sid,
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

export function appSession(s: EventStamp, spec: AppSessionSpec): DemoEvent {
  const { actor, app, security } = spec;
  const head = s.head('app.session.start', EventCode.AppSessionStart, spec.ms);
  const sid = s.rng.uuid();
  return finish(
    head,
    `${userMeta(actor, undefined, security)}${opt(',"aws_role_arn":', app.awsRoleArn)}${sessionMeta(sid, security)}` +
      `,"server_id":${q(app.serverId)},"server_version":${VERSION},"addr.remote":${q(spec.clientAddr)},"public_addr":${q(app.publicAddr)}` +
      `,"app_uri":${q(app.uri)},"app_public_addr":${q(app.publicAddr)},"app_labels":${cached(app.labels)},"app_name":${q(app.name)}`,
    actor.name,
    sid,
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

export function desktopSession(s: EventStamp, spec: DesktopSessionSpec): [DemoEvent, DemoEvent] {
  const sid = s.rng.uuid();
  const { actor, desktop, security } = spec;
  const fields =
    `,"windows_desktop_service":${q(desktop.serviceId)},"desktop_addr":${q(desktop.addr)},"windows_domain":${q(desktop.domain)}` +
    `,"windows_user":${q(spec.windowsUser)},"desktop_labels":${cached(desktop.labels)},"desktop_name":${q(desktop.name)}`;
  const user = userMeta(actor, spec.windowsUser, security);
  const session = sessionMeta(sid, security);
  const start = finish(
    s.head('windows.desktop.session.start', EventCode.DesktopSessionStart, spec.startMs),
    `${user}${session},"addr.remote":${q(spec.clientAddr)},"proto":"tdp","success":true${fields},"allow_user_creation":false,"nla":true`,
    actor.name,
    sid,
  );
  const endHead = s.head('windows.desktop.session.end', EventCode.DesktopSessionEnd, spec.endMs, s.rng.int(20, 2000));
  const end = finish(
    endHead,
    `${user}${session},"addr.remote":${q(spec.clientAddr)},"proto":"tdp"${fields}` +
      `,"session_start":"${s.nanoTime(spec.startMs)}","session_stop":"${s.nanoTime(spec.endMs)}","recorded":true,"participants":[${q(actor.name)}]`,
    actor.name,
    sid,
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

export function userLogin(s: EventStamp, spec: LoginSpec): DemoEvent {
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
  const head = s.head('user.login', code, spec.ms);
  const client = `,"user_agent":${q(spec.userAgent)},"addr.remote":${q(spec.clientAddr)}`;
  if (spec.failure) {
    return finish(head, `,"user":${q(user.name)},"success":false,"error":${q(spec.failure)},"method":${q(method)}${client}`, user.name);
  }
  const device = user.mfaDevice;
  const attributes = sso ? `,"attributes":{"email":[${q(user.name)}],"groups":[${q(user.team)},"everyone"]}` : '';
  const mfaDevice =
    !sso && spec.withMfa && device
      ? `,"mfa_device":{"mfa_device_name":${q(device.name)},"mfa_device_uuid":${q(device.uuid)},"mfa_device_type":${q(device.type)}}`
      : '';
  return finish(
    head,
    `,"user":${q(user.name)},"required_private_key_policy":"none","user_origin":${sso ? 2 : 1},"success":true,"method":${q(method)}${attributes}${mfaDevice}${client}`,
    user.name,
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

export function certCreate(s: EventStamp, spec: CertSpec): DemoEvent {
  const { actor } = spec;
  const bot = isBot(actor) ? actor : undefined;
  const device = spec.trustedDevice;
  const head = s.head('cert.create', EventCode.CertificateCreate, spec.ms);
  return finish(
    head,
    `,"cert_type":"user","identity":{"user":${q(actor.name)}${bot ? `,"impersonator":${q(bot.name)}` : ''},"roles":${cached(spec.roles)}` +
      `,"logins":${q([...spec.logins, '-teleport-internal-join'])}${spec.kubernetesGroups ? `,"kubernetes_groups":${cached(spec.kubernetesGroups)}` : ''}` +
      `,"expires":"${s.nanoTime(spec.ms + spec.ttlMs)}","route_to_cluster":${CLUSTER},"teleport_cluster":${CLUSTER}` +
      `${opt(',"mfa_device_uuid":', spec.mfaDeviceUuid)},"client_ip":${q(spec.clientIp)}${opt(',"access_requests":', spec.accessRequests)}` +
      `,"prev_identity_expires":"${ZERO_TIME}","private_key_policy":"none"` +
      `${bot ? `,"bot_name":${q(bot.botName)},"bot_instance_id":${q(bot.instanceId)}` : ''}${device ? `,"device_extensions":${deviceExtensions(device)}` : ''}}` +
      `${opt(',"user_agent":', spec.userAgent)},"certificate_authority":null`,
  );
}

const extensions = new WeakMap<DeviceMetadata, string>();

/** The certificate's device extensions, from the trusted device: written once per device. */
function deviceExtensions(device: DeviceMetadata): string {
  let json = extensions.get(device);
  if (json === undefined) {
    json = JSON.stringify({ device_id: device.device_id, asset_tag: device.asset_tag, credential_id: device.credential_id });
    extensions.set(device, json);
  }
  return json;
}

export interface AccessRequestSpec {
  user: DemoUser;
  id: string;
  ms: number;
  roles: string[];
  reason: string;
  accessExpiresMs: number;
}

export function accessRequestCreate(s: EventStamp, spec: AccessRequestSpec): DemoEvent {
  const head = s.head('access_request.create', EventCode.AccessRequestCreate, spec.ms);
  return finish(
    head,
    `,"user":${q(spec.user.name)},"user_kind":${HUMAN},"expires":"${s.nanoTime(spec.accessExpiresMs)}","roles":${cached(spec.roles)}` +
      `,"id":${q(spec.id)},"state":"PENDING","reason":${q(spec.reason)}`,
    spec.user.name,
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
export function accessRequestReview(s: EventStamp, spec: AccessReviewSpec): DemoEvent {
  const state = spec.approve ? 'APPROVED' : 'DENIED';
  const head = s.head('access_request.review', EventCode.AccessRequestReview, spec.ms);
  return finish(
    head,
    `,"expires":"${s.nanoTime(spec.accessExpiresMs)}","id":${q(spec.id)},"state":"${state}","reason":${q(spec.reason)},"reviewer":${q(spec.reviewer.name)},"proposed_state":"${state}"`,
  );
}

export type RoleChange = 'role.created' | 'role.updated' | 'role.deleted';

const ROLE_CODES = { 'role.created': EventCode.RoleCreated, 'role.updated': EventCode.RoleUpdated, 'role.deleted': EventCode.RoleDeleted } as const;

export function roleChange(s: EventStamp, change: RoleChange, actor: DemoUser, role: string, ms: number, clientAddr: string): DemoEvent {
  return finish(
    s.head(change, ROLE_CODES[change], ms),
    `,"name":${q(role)},"expires":"${ZERO_TIME}","user":${q(actor.name)},"user_kind":${HUMAN},"addr.remote":${q(clientAddr)}`,
    actor.name,
  );
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

export function userCreate(s: EventStamp, spec: UserCreateSpec): DemoEvent {
  const person = spec.actor === 'system' ? undefined : spec.actor;
  const user = person ? person.name : 'system';
  return finish(
    s.head('user.create', EventCode.UserCreate, spec.ms),
    `,"user":${q(user)},"user_kind":${person ? HUMAN : SYSTEM},"name":${q(spec.name)},"expires":"${ZERO_TIME}","roles":${cached(spec.roles)}` +
      `,"connector":${q(spec.connector)}${opt(',"addr.remote":', spec.clientAddr)}`,
    user,
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

export function lockCreated(s: EventStamp, spec: LockSpec): DemoEvent {
  const head = s.head('lock.created', EventCode.LockCreated, spec.ms);
  const target = JSON.stringify(spec.target);
  return finish(
    head,
    `,"name":${q(spec.lockName)},"expires":"${spec.expiresMs === undefined ? ZERO_TIME : s.nanoTime(spec.expiresMs)}","user":${q(spec.actor.name)}` +
      `,"user_kind":${HUMAN},"target":${target},"lock":{"target":${target}}`,
    spec.actor.name,
  );
}

export function lockDeleted(s: EventStamp, spec: LockSpec): DemoEvent {
  return finish(
    s.head('lock.deleted', EventCode.LockDeleted, spec.ms),
    `,"name":${q(spec.lockName)},"expires":"${ZERO_TIME}","user":${q(spec.actor.name)},"user_kind":${HUMAN},"lock":{"target":${JSON.stringify(spec.target)}}`,
    spec.actor.name,
  );
}

export interface InstanceJoinSpec {
  host: DemoHost;
  ms: number;
  tokenTtlMs: number;
}

/** An agent joining with a provisioning token; `instance.join` has no `user`. */
export function instanceJoin(s: EventStamp, spec: InstanceJoinSpec): DemoEvent {
  const head = s.head('instance.join', EventCode.InstanceJoin, spec.ms);
  const tokenName = `${'*'.repeat(24)}${s.rng.hex(8)}`;
  return finish(
    head,
    `,"success":true,"addr.remote":${q(spec.host.addr.replace(/:\d+$/, ''))},"host_id":${q(spec.host.serverId)},"node_name":${q(spec.host.hostname)}` +
      `,"role":"Instance","method":"token","token_name":${q(tokenName)},"token_expires":"${s.nanoTime(spec.ms + spec.tokenTtlMs)}"`,
  );
}
