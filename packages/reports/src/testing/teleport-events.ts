// Test support: Teleport audit events as Teleport writes them (TELEPORT-EVENTS.md §3): common
// metadata flat at the top level, optional fields omitted, `addr.remote` with a literal dot.
// Each builder fills the fields a real event carries; a fixture passes what it is about
// (user, time, MFA, access requests, …). A field set to undefined is left out, as omitempty does.
import type { AuditEvent } from '@access-monitor/audit-log';

const CLUSTER = 'acme.teleport.sh';
let sequence = 0;

type Fields = { time: string } & Record<string, unknown>;

function head(event: string, code: string, time: string): AuditEvent {
  sequence += 1;
  return { ei: 0, event, uid: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`, code, time, cluster_name: CLUSTER };
}

/** Drops undefined fields, so the JSON and the written Parquet agree on what is absent. */
function event(base: AuditEvent, fields: Fields): AuditEvent {
  const merged: Record<string, unknown> = { ...base, ...fields };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return merged as AuditEvent;
}

/** An SSH `session.start` (T2000I) from a v17 node; pass `proto: undefined` for an old node. */
export const sessionStart = (f: Fields & { user: string; sid: string }): AuditEvent =>
  event(
    {
      ...head('session.start', 'T2000I', f.time),
      login: 'ubuntu',
      user_kind: 1,
      private_key_policy: 'none',
      namespace: 'default',
      server_id: '3a4bc2d6-0c36-4f1e-9b3a-5b2f4d8e9c01',
      server_hostname: 'web-01',
      server_addr: '10.1.0.11:3022',
      'addr.local': '10.1.0.11:3022',
      'addr.remote': '198.51.100.20:53124',
      proto: 'ssh',
      size: '80:25',
      initial_command: [''],
      session_recording: 'node',
    },
    f,
  );

/** A Kubernetes interactive `session.start` (proto kube). */
export const kubeSessionStart = (f: Fields & { user: string; sid: string }): AuditEvent =>
  event(
    {
      ...head('session.start', 'T2000I', f.time),
      login: f.user,
      user_kind: 1,
      private_key_policy: 'none',
      namespace: 'default',
      server_id: '7d1f9a0e-5b7c-4a43-8d8e-2c9a1e6b3f10',
      server_hostname: 'kube-agent-staging-eks',
      'addr.remote': '198.51.100.21:53200',
      proto: 'kube',
      kubernetes_cluster: 'staging-eks',
      kubernetes_users: [f.user],
      kubernetes_groups: ['developers'],
      kubernetes_pod_name: 'checkout-7d9f8-abcde',
      kubernetes_pod_namespace: 'checkout',
      kubernetes_container_name: 'app',
      size: '80:25',
      initial_command: ['/bin/sh'],
      session_recording: 'node',
    },
    f,
  );

/** `exec` (T3002I): a kubectl exec by default; `proto: 'ssh'` for a command over SSH. */
export const exec = (f: Fields & { user: string; sid: string }): AuditEvent =>
  event(
    {
      ...head('exec', 'T3002I', f.time),
      login: f.user,
      user_kind: 1,
      'addr.remote': '198.51.100.21:53200',
      proto: 'kube',
      private_key_policy: 'none',
      namespace: 'default',
      server_id: '7d1f9a0e-5b7c-4a43-8d8e-2c9a1e6b3f10',
      server_hostname: 'kube-agent-staging-eks',
      command: '/bin/sh',
      exitCode: '0',
      kubernetes_cluster: 'staging-eks',
      kubernetes_users: [f.user],
      kubernetes_groups: ['developers'],
      kubernetes_pod_name: 'checkout-7d9f8-abcde',
      kubernetes_pod_namespace: 'checkout',
      kubernetes_container_name: 'app',
    },
    f,
  );

/** `kube.request` (T3009I). */
export const kubeRequest = (f: Fields & { user: string }): AuditEvent =>
  event(
    {
      ...head('kube.request', 'T3009I', f.time),
      login: f.user,
      user_kind: 1,
      'addr.remote': '198.51.100.22:40100',
      proto: 'kube',
      namespace: 'default',
      server_id: '9e2d4c1a-8f3b-4e5d-a6c7-b8d9e0f1a2b3',
      server_hostname: 'kube-agent-prod-eks',
      request_path: '/api/v1/namespaces/checkout/pods',
      verb: 'GET',
      resource_api_group: 'core/v1',
      resource_namespace: 'checkout',
      resource_kind: 'pods',
      response_code: 200,
      kubernetes_cluster: 'prod-eks',
      kubernetes_users: [f.user],
      kubernetes_groups: ['developers'],
      sid: '',
    },
    f,
  );

/** `db.session.start` (TDB00I, or TDB00W with `success: false`). */
export const dbSessionStart = (f: Fields & { user: string; sid: string }): AuditEvent =>
  event(
    {
      ...head('db.session.start', f.success === false ? 'TDB00W' : 'TDB00I', f.time),
      user_kind: 1,
      private_key_policy: 'none',
      server_id: '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f',
      server_version: '17.4.8',
      'addr.remote': '198.51.100.23:50432',
      success: true,
      db_service: 'orders-pg',
      db_protocol: 'postgres',
      db_uri: 'orders.cluster-abc.eu-central-1.rds.amazonaws.com:5432',
      db_name: 'orders',
      db_user: 'app_rw',
      db_type: 'rds',
      db_origin: 'cloud',
    },
    f,
  );

/** `db.session.end` (TDB01I). */
export const dbSessionEnd = (f: Fields & { user: string; sid: string }): AuditEvent =>
  event(
    {
      ...head('db.session.end', 'TDB01I', f.time),
      user_kind: 1,
      db_service: 'orders-pg',
      db_protocol: 'postgres',
      db_uri: 'orders.cluster-abc.eu-central-1.rds.amazonaws.com:5432',
      db_name: 'orders',
      db_user: 'app_rw',
      'addr.remote': '198.51.100.23:50432',
      participants: [f.user],
    },
    f,
  );

/** `cert.create` (TC000I): no top-level user; the identity says whose certificate it is. */
export const certCreate = (f: Fields & { identity: Record<string, unknown> }): AuditEvent =>
  event(
    {
      ...head('cert.create', 'TC000I', f.time),
      cert_type: 'user',
    },
    {
      ...f,
      identity: {
        roles: ['access'],
        logins: ['ubuntu', '-teleport-internal-join'],
        route_to_cluster: CLUSTER,
        teleport_cluster: CLUSTER,
        prev_identity_expires: '0001-01-01T00:00:00Z',
        private_key_policy: 'none',
        ...f.identity,
      },
    },
  );

/** `instance.join` (TJ002I): an agent joining; no user. */
export const instanceJoin = (f: Fields & { node_name: string; host_id: string; token_expires: string }): AuditEvent =>
  event(
    {
      ...head('instance.join', 'TJ002I', f.time),
      success: true,
      'addr.remote': '10.2.0.15',
      role: 'Instance',
      method: 'token',
      token_name: '************************a2418147',
    },
    f,
  );

/** `windows.desktop.session.start` (TDP00I, or TDP00W with `success: false`). */
export const desktopSessionStart = (f: Fields & { user: string; sid: string }): AuditEvent =>
  event(
    {
      ...head('windows.desktop.session.start', f.success === false ? 'TDP00W' : 'TDP00I', f.time),
      login: 'Administrator',
      user_kind: 1,
      private_key_policy: 'none',
      'addr.remote': '198.51.100.24:61000',
      proto: 'tdp',
      success: true,
      windows_desktop_service: '00baaef5-ff1e-4222-85a5-c7cb0cd8e7b8',
      desktop_addr: '10.3.0.10:3389',
      windows_domain: 'corp.acme.example',
      windows_user: 'Administrator',
      desktop_labels: { env: 'prod' },
      desktop_name: 'win-jump-01',
      allow_user_creation: false,
      nla: true,
    },
    f,
  );

/** `windows.desktop.session.end` (TDP01I). */
export const desktopSessionEnd = (f: Fields & { user: string; sid: string }): AuditEvent =>
  event(
    {
      ...head('windows.desktop.session.end', 'TDP01I', f.time),
      login: 'Administrator',
      user_kind: 1,
      windows_desktop_service: '00baaef5-ff1e-4222-85a5-c7cb0cd8e7b8',
      desktop_addr: '10.3.0.10:3389',
      windows_domain: 'corp.acme.example',
      windows_user: 'Administrator',
      desktop_name: 'win-jump-01',
      recorded: true,
      participants: [f.user],
    },
    f,
  );

/** `app.session.start` (T2007I, or T2007E with an `error`). */
export const appSessionStart = (f: Fields & { user: string; sid: string }): AuditEvent =>
  event(
    {
      ...head('app.session.start', f.error === undefined ? 'T2007I' : 'T2007E', f.time),
      user_kind: 1,
      private_key_policy: 'none',
      server_id: '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b',
      'addr.remote': '198.51.100.25:55000',
      public_addr: 'grafana.acme.teleport.sh',
      app_uri: 'http://grafana.monitoring.svc:3000',
      app_public_addr: 'grafana.acme.teleport.sh',
      app_name: 'grafana',
    },
    f,
  );

/** `user.login`: local (T1000I/T1000W) or SSO (T1001I/T1001W); `success: false` for a failure. */
export const userLogin = (f: Fields & { success: boolean }): AuditEvent => {
  const sso = typeof f.method === 'string' && f.method !== 'local';
  const code = `${sso ? 'T1001' : 'T1000'}${f.success ? 'I' : 'W'}`;
  return event(
    {
      ...head('user.login', code, f.time),
      method: 'local',
      user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      'addr.remote': '198.51.100.26:51515',
      ...(f.success ? { required_private_key_policy: 'none' } : { error: 'invalid username, password or second factor' }),
    },
    f,
  );
};

/** `access_request.create` (T5000I). */
export const accessRequestCreate = (f: Fields & { user: string; id: string }): AuditEvent =>
  event(
    {
      ...head('access_request.create', 'T5000I', f.time),
      user_kind: 1,
      expires: '2024-05-08T00:00:00Z',
      state: 'PENDING',
    },
    f,
  );

/** `access_request.review` (T5002I): no user, the reviewer is in `reviewer`. */
export const accessRequestReview = (f: Fields & { id: string; reviewer: string }): AuditEvent =>
  event(
    {
      ...head('access_request.review', 'T5002I', f.time),
      expires: '2024-05-08T00:00:00Z',
      state: 'APPROVED',
      proposed_state: 'APPROVED',
    },
    f,
  );

const ROLE_CODES: Record<string, string> = { 'role.created': 'T9000I', 'role.updated': 'T9002I', 'role.deleted': 'T9001I' };

/** `role.created` / `role.updated` / `role.deleted`: `name` is the role, `user` the actor. */
export const roleChange = (change: 'role.created' | 'role.updated' | 'role.deleted', f: Fields & { user: string; name: string }): AuditEvent =>
  event({ ...head(change, ROLE_CODES[change]!, f.time), expires: '0001-01-01T00:00:00Z', user_kind: 1, 'addr.remote': '198.51.100.27:50000' }, f);

/** `user.create` (T1002I): `name` is the new user, `user` the actor. */
export const userCreate = (f: Fields & { user: string; name: string }): AuditEvent =>
  event({ ...head('user.create', 'T1002I', f.time), expires: '0001-01-01T00:00:00Z', user_kind: 1, roles: ['access'], connector: 'local' }, f);

/** `lock.created` (TLK00I). */
export const lockCreated = (f: Fields & { user: string; name: string; target: Record<string, string> }): AuditEvent =>
  event({ ...head('lock.created', 'TLK00I', f.time), expires: '0001-01-01T00:00:00Z', user_kind: 1, lock: { target: f.target } }, f);

/** `lock.deleted` (TLK01I): carries the target only under `lock`. */
export const lockDeleted = (f: Fields & { user: string; name: string; target: Record<string, string> }): AuditEvent => {
  const { target, ...rest } = f;
  return event({ ...head('lock.deleted', 'TLK01I', f.time), expires: '0001-01-01T00:00:00Z', user_kind: 1, lock: { target } }, rest as Fields);
};
