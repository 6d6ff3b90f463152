// Hand-built fixtures for the Access risk report (default parameters), with the rows counted by hand.
import type { FindingCase } from './finding-case';
import {
  accessRequestCreate,
  accessRequestReview,
  appSessionStart,
  dbSessionEnd,
  dbSessionStart,
  desktopSessionEnd,
  desktopSessionStart,
  exec,
  kubeSessionStart,
  lockCreated,
  lockDeleted,
  roleChange,
  sessionStart,
  userCreate,
  userLogin,
} from './teleport-events';

const DEVICE = { device_id: 'c5a1e2f0-7d3b-4f6a-9e8d-1b2c3d4e5f60', os_type: 2, asset_tag: 'C02XK1ZZJG5H', credential_id: 'cred-1' };
const REQUEST = ['018f5a2e-9b1c-7d3e-8f4a-5b6c7d8e9f01'];
const WEB_01 = '3a4bc2d6-0c36-4f1e-9b3a-5b2f4d8e9c01';
const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const MFA_DEVICE = { mfa_device_name: 'yubikey', mfa_device_uuid: '4d1c8f2a-0b7e-4c3d-9a5f-6e7d8c9b0a1f', mfa_device_type: 'WebAuthn' };
const failure = (time: string, user: string | undefined, addr: string, method = 'local') => userLogin({ time, user, success: false, method, 'addr.remote': addr });

export const ACCESS_RISK_CASES: FindingCase[] = [
  {
    id: 'desktop_sessions_with_weak_security',
    // uma's and wanda's successful weak sessions count; uma's refused start, MFA, an access request and a session end do not.
    events: [
      desktopSessionStart({ time: '2024-05-06T10:00:00Z', user: 'uma', sid: 'd-1' }),
      desktopSessionStart({ time: '2024-05-06T10:05:00Z', user: 'uma', sid: 'd-2', success: false, error: 'access denied', message: 'access denied' }),
      desktopSessionEnd({ time: '2024-05-06T10:50:00Z', user: 'uma', sid: 'd-1' }),
      desktopSessionStart({ time: '2024-05-06T11:00:00Z', user: 'uma', sid: 'd-3', with_mfa: 'b0d3c1aa-mfa-uma' }),
      desktopSessionStart({ time: '2024-05-06T12:00:00Z', user: 'vic', sid: 'd-4', access_requests: REQUEST }),
      desktopSessionStart({ time: '2024-05-07T09:00:00Z', user: 'wanda', sid: 'd-5', desktop_name: 'win-fin-02', desktop_addr: '10.3.0.11:3389' }),
    ],
    chart: [
      ['2024-05-06', '1', 'uma'],
      ['2024-05-07', '1', 'wanda'],
    ],
    detail: [
      ['2024-05-06 10:00:00', 'uma', 'd-1', 'win-jump-01', '10.3.0.10:3389', 'corp.acme.example', 'Administrator', '198.51.100.24:61000'],
      ['2024-05-07 09:00:00', 'wanda', 'd-5', 'win-fin-02', '10.3.0.11:3389', 'corp.acme.example', 'Administrator', '198.51.100.24:61000'],
    ],
  },
  {
    id: 'app_sessions_with_weak_security',
    // walter's two weak sessions count, one per day; MFA, a trusted device and a failed start (T2007E) do not.
    events: [
      appSessionStart({ time: '2024-05-06T12:00:00Z', user: 'walter', sid: 'a-1' }),
      appSessionStart({ time: '2024-05-06T12:30:00Z', user: 'walter', sid: 'a-2', with_mfa: 'b0d3c1aa-mfa-walter' }),
      appSessionStart({ time: '2024-05-06T13:00:00Z', user: 'walter', sid: 'a-3', error: 'app "grafana" not found', message: 'app "grafana" not found' }),
      appSessionStart({ time: '2024-05-06T14:00:00Z', user: 'xavier', sid: 'a-4', trusted_device: DEVICE }),
      appSessionStart({
        time: '2024-05-07T12:00:00Z', user: 'walter', sid: 'a-5', app_name: 'aws-console', public_addr: 'aws.acme.teleport.sh', app_public_addr: 'aws.acme.teleport.sh',
        app_uri: 'https://console.aws.amazon.com', aws_role_arn: 'arn:aws:iam::123456789012:role/ReadOnly',
      }),
    ],
    chart: [
      ['2024-05-06', '1', 'walter'],
      ['2024-05-07', '1', 'walter'],
    ],
    detail: [
      ['2024-05-06 12:00:00', 'walter', 'a-1', 'grafana', 'grafana.acme.teleport.sh', null, '198.51.100.25:55000'],
      ['2024-05-07 12:00:00', 'walter', 'a-5', 'aws-console', 'aws.acme.teleport.sh', 'arn:aws:iam::123456789012:role/ReadOnly', '198.51.100.25:55000'],
    ],
  },
  {
    id: 'ssh_sessions_without_proto_with_weak_security',
    // grace's and hugo's weak sessions from old nodes (no proto, no Kubernetes cluster) count; victor's SSH session with proto (Teleport's finding),
    // an old Kubernetes session (no proto, a cluster), MFA and a request do not; the 8th is outside the window.
    events: [
      sessionStart({ time: '2024-05-06T11:00:00Z', user: 'victor', sid: 's-1' }),
      sessionStart({ time: '2024-05-06T12:00:00Z', user: 'grace', sid: 's-2', proto: undefined, server_hostname: undefined }),
      kubeSessionStart({ time: '2024-05-06T13:00:00Z', user: 'lee', sid: 'k-6', proto: undefined }),
      sessionStart({ time: '2024-05-06T14:00:00Z', user: 'mia', sid: 's-3', proto: undefined, with_mfa: 'b0d3c1aa-mfa-mia' }),
      sessionStart({ time: '2024-05-06T15:00:00Z', user: 'noah', sid: 's-4', proto: undefined, access_requests: REQUEST }),
      sessionStart({ time: '2024-05-07T09:00:00Z', user: 'hugo', sid: 's-5', proto: undefined, login: 'deploy', server_addr: '10.1.0.12:3022' }),
      sessionStart({ time: '2024-05-08T09:00:00Z', user: 'grace', sid: 's-6', proto: undefined }),
    ],
    chart: [
      ['2024-05-06', '1', 'grace'],
      ['2024-05-07', '1', 'hugo'],
    ],
    detail: [
      ['2024-05-06 12:00:00', 'grace', 's-2', 'ubuntu', null, WEB_01, '10.1.0.11:3022', '198.51.100.20:53124'],
      ['2024-05-07 09:00:00', 'hugo', 's-5', 'deploy', 'web-01', WEB_01, '10.1.0.12:3022', '198.51.100.20:53124'],
    ],
  },
  {
    id: 'kube_exec_commands',
    // zoe's and xena's (failed) kubectl execs are weak; MFA or a request make one strong; a kube session start and an SSH exec are not kube exec commands.
    events: [
      kubeSessionStart({ time: '2024-05-06T12:59:00Z', user: 'zoe', sid: 'k-1' }),
      exec({ time: '2024-05-06T13:00:00Z', user: 'zoe', sid: 'k-1' }),
      exec({ time: '2024-05-06T14:00:00Z', user: 'zoe', sid: 'k-2', with_mfa: 'b0d3c1aa-mfa-zoe' }),
      exec({ time: '2024-05-06T15:00:00Z', user: 'zoe', sid: 'k-3', access_requests: REQUEST }),
      exec({
        time: '2024-05-06T16:00:00Z', user: 'yuri', sid: 's-9', login: 'ubuntu', proto: 'ssh', command: 'uptime', server_hostname: 'web-01',
        kubernetes_cluster: undefined, kubernetes_users: undefined, kubernetes_groups: undefined, kubernetes_pod_name: undefined, kubernetes_pod_namespace: undefined, kubernetes_container_name: undefined,
      }),
      exec({ time: '2024-05-07T08:00:00Z', user: 'xena', sid: 'k-4', code: 'T3002E', command: 'cat /etc/shadow', exitCode: '1', exitError: 'exit status 1' }),
    ],
    chart: [
      ['2024-05-06', '1', 'zoe'],
      ['2024-05-07', '1', 'xena'],
    ],
    detail: [
      ['2024-05-06 13:00:00', 'zoe', 'k-1', 'staging-eks', 'checkout', 'checkout-7d9f8-abcde', 'app', '/bin/sh', '198.51.100.21:53200'],
      ['2024-05-07 08:00:00', 'xena', 'k-4', 'staging-eks', 'checkout', 'checkout-7d9f8-abcde', 'app', 'cat /etc/shadow', '198.51.100.21:53200'],
    ],
  },
  {
    id: 'logins_without_mfa',
    // walter's local login and ops's login with no method (older Teleport) had no MFA device; alice used one, trent's SSO login never records one, walter's failure is no login.
    events: [
      userLogin({ time: '2024-05-06T08:00:00Z', user: 'walter', success: true, user_origin: 1 }),
      userLogin({ time: '2024-05-06T08:01:00Z', user: 'walter', success: false }),
      userLogin({ time: '2024-05-06T08:30:00Z', user: 'alice', success: true, user_origin: 1, mfa_device: MFA_DEVICE }),
      userLogin({ time: '2024-05-06T09:00:00Z', user: 'trent', success: true, method: 'saml', user_origin: 2, attributes: { email: ['trent@acme.example'], groups: ['dev', 'everyone'] } }),
      userLogin({ time: '2024-05-07T07:00:00Z', user: 'ops', success: true, method: undefined }),
    ],
    chart: [
      ['2024-05-06', '1', 'walter'],
      ['2024-05-07', '1', 'ops'],
    ],
    detail: [
      ['2024-05-06 08:00:00', 'walter', 'local', '198.51.100.26:51515', BROWSER],
      ['2024-05-07 07:00:00', 'ops', null, '198.51.100.26:51515', BROWSER],
    ],
  },
  {
    id: 'failed_login_bursts',
    // mallory: 5 failures in [10:00, 10:10) from an IPv4 and an IPv6 host; peggy: 6 in [08:20, 08:30); sybil's 4 + 1 straddle 11:10, the userless SSO failures have no user, and mallory's success is no failure.
    events: [
      failure('2024-05-06T10:00:30Z', 'mallory', '192.0.2.66:50001'),
      failure('2024-05-06T10:02:00Z', 'mallory', '192.0.2.66:50002'),
      failure('2024-05-06T10:04:00Z', 'mallory', '[2001:db8::7]:40000'),
      userLogin({ time: '2024-05-06T10:05:00Z', user: 'mallory', success: true, user_origin: 1, mfa_device: MFA_DEVICE }),
      failure('2024-05-06T10:06:00Z', 'mallory', '192.0.2.66:50003'),
      failure('2024-05-06T10:09:59Z', 'mallory', '[2001:db8::7]:40001'),
      failure('2024-05-06T11:00:00Z', 'sybil', '192.0.2.67:50010'),
      failure('2024-05-06T11:03:00Z', 'sybil', '192.0.2.67:50011'),
      failure('2024-05-06T11:06:00Z', 'sybil', '192.0.2.67:50012'),
      failure('2024-05-06T11:09:59Z', 'sybil', '192.0.2.67:50013'),
      failure('2024-05-06T11:10:00Z', 'sybil', '192.0.2.67:50014'),
      ...['12:00:00', '12:01:00', '12:02:00', '12:03:00', '12:04:00'].map((t) => failure(`2024-05-06T${t}Z`, undefined, '192.0.2.68:50020', 'oidc')),
      ...['08:20:00', '08:21:00', '08:22:00', '08:23:00', '08:24:00', '08:25:00'].map((t, i) => failure(`2024-05-07T${t}Z`, 'peggy', `203.0.113.50:6000${i}`)),
    ],
    chart: [
      ['2024-05-06', '1', 'mallory'],
      ['2024-05-07', '1', 'peggy'],
    ],
    detail: [
      ['2024-05-06 10:00:30', 'mallory', '2024-05-06 10:00:00', '5', '192.0.2.66, 2001:db8::7'],
      ['2024-05-07 08:20:00', 'peggy', '2024-05-07 08:20:00', '6', '203.0.113.50'],
    ],
  },
  {
    id: 'access_requests_for_admin_roles',
    // niaj asks for admin and olivia for editor (with access); bob's prod-access and ruth's resource request name no privileged role; a review is no request.
    events: [
      accessRequestCreate({ time: '2024-05-06T15:00:00Z', user: 'niaj', id: 'req-a', roles: ['admin'], reason: 'deploy hotfix' }),
      accessRequestReview({ time: '2024-05-06T15:10:00Z', id: 'req-a', reviewer: 'alice', roles: ['admin'], reason: 'approved for the hotfix' }),
      accessRequestCreate({ time: '2024-05-06T16:00:00Z', user: 'bob', id: 'req-b', roles: ['prod-access'], reason: 'on call' }),
      accessRequestCreate({
        time: '2024-05-06T17:00:00Z', user: 'ruth', id: 'req-c', roles: ['db-access'], reason: 'reporting',
        resource_ids: [{ cluster: 'acme.teleport.sh', kind: 'db', name: 'orders-pg', sub_resource: '' }],
      }),
      accessRequestCreate({ time: '2024-05-07T11:00:00Z', user: 'olivia', id: 'req-d', roles: ['editor', 'access'], reason: 'edit SSO connector' }),
    ],
    chart: [
      ['2024-05-06', '1', 'niaj'],
      ['2024-05-07', '1', 'olivia'],
    ],
    detail: [
      ['2024-05-06 15:00:00', 'niaj', 'req-a', 'admin', 'deploy hotfix'],
      ['2024-05-07 11:00:00', 'olivia', 'req-d', 'editor, access', 'edit SSO connector'],
    ],
  },
  {
    id: 'role_changes',
    // alice created and updated a role on the 6th and deleted one on the 7th, when system also updated a preset role; a user creation is no role change.
    events: [
      roleChange('role.created', { time: '2024-05-06T10:00:00Z', user: 'alice', name: 'contractor-1' }),
      userCreate({ time: '2024-05-06T11:00:00Z', user: 'alice', name: 'intern-1@acme.example' }),
      roleChange('role.updated', { time: '2024-05-06T16:00:00Z', user: 'alice', name: 'access' }),
      roleChange('role.updated', { time: '2024-05-07T00:00:05Z', user: 'system', name: 'editor', user_kind: 3, 'addr.remote': undefined }),
      roleChange('role.deleted', { time: '2024-05-07T10:00:00Z', user: 'alice', name: 'contractor-1' }),
    ],
    chart: [
      ['2024-05-06', '2', 'alice'],
      ['2024-05-07', '1', 'alice'],
      ['2024-05-07', '1', 'system'],
    ],
    detail: [
      ['2024-05-06 10:00:00', 'alice', 'role.created', 'contractor-1', '198.51.100.27:50000'],
      ['2024-05-06 16:00:00', 'alice', 'role.updated', 'access', '198.51.100.27:50000'],
      ['2024-05-07 00:00:05', 'system', 'role.updated', 'editor', null],
      ['2024-05-07 10:00:00', 'alice', 'role.deleted', 'contractor-1', '198.51.100.27:50000'],
    ],
  },
  {
    id: 'lock_removals',
    // nora removed the lock on mallory and the one on the contractor role; creating a lock is no removal.
    events: [
      lockCreated({ time: '2024-05-06T09:00:00Z', user: 'nora', name: 'lock-1', target: { user: 'mallory' }, message: 'Repeated failed logins' }),
      lockDeleted({ time: '2024-05-06T13:00:00Z', user: 'nora', name: 'lock-1', target: { user: 'mallory' } }),
      lockDeleted({ time: '2024-05-07T08:00:00Z', user: 'nora', name: 'lock-2', target: { role: 'contractor' } }),
    ],
    chart: [
      ['2024-05-06', '1', 'nora'],
      ['2024-05-07', '1', 'nora'],
    ],
    detail: [
      ['2024-05-06 13:00:00', 'nora', 'lock-1', 'mallory', null, null, null],
      ['2024-05-07 08:00:00', 'nora', 'lock-2', null, 'contractor', null, null],
    ],
  },
  {
    id: 'db_admin_sessions',
    // kofi as root, marco as SA (case-insensitive) and lena as rdsadmin succeed; ivan's refused postgres session and ruth's app_ro do not count.
    events: [
      dbSessionStart({ time: '2024-05-06T09:00:00Z', user: 'kofi', sid: 'm-1', db_service: 'billing-mysql', db_protocol: 'mysql', db_uri: 'billing.internal:3306', db_name: 'billing', db_user: 'root' }),
      dbSessionStart({ time: '2024-05-06T10:00:00Z', user: 'marco', sid: 'q-1', db_service: 'finance-mssql', db_protocol: 'sqlserver', db_uri: 'finance.internal:1433', db_name: 'ledger', db_user: 'SA' }),
      dbSessionStart({ time: '2024-05-06T11:00:00Z', user: 'ivan', sid: 'p-1', db_user: 'postgres', success: false, error: 'password authentication failed' }),
      dbSessionStart({ time: '2024-05-06T12:00:00Z', user: 'ruth', sid: 'p-2', db_user: 'app_ro' }),
      dbSessionStart({ time: '2024-05-07T09:00:00Z', user: 'lena', sid: 'm-2', db_service: 'legacy-mysql', db_protocol: 'mysql', db_uri: 'legacy.internal:3306', db_name: 'crm', db_user: 'rdsadmin' }),
    ],
    chart: [
      ['2024-05-06', '1', 'kofi'],
      ['2024-05-06', '1', 'marco'],
      ['2024-05-07', '1', 'lena'],
    ],
    detail: [
      ['2024-05-06 09:00:00', 'kofi', 'm-1', 'billing-mysql', 'mysql', 'billing', 'root', '198.51.100.23:50432'],
      ['2024-05-06 10:00:00', 'marco', 'q-1', 'finance-mssql', 'sqlserver', 'ledger', 'SA', '198.51.100.23:50432'],
      ['2024-05-07 09:00:00', 'lena', 'm-2', 'legacy-mysql', 'mysql', 'crm', 'rdsadmin', '198.51.100.23:50432'],
    ],
  },
  {
    id: 'postgres_superuser_sessions',
    // Sessions as postgres on a Postgres database count whatever their MFA, refused ones too (lena); app_rw, postgres on MySQL and a session end do not.
    events: [
      dbSessionStart({ time: '2024-05-06T09:00:00Z', user: 'ivan', sid: 'pg-1', db_user: 'postgres', with_mfa: 'b0d3c1aa-mfa-ivan', trusted_device: DEVICE }),
      dbSessionEnd({ time: '2024-05-06T09:30:00Z', user: 'ivan', sid: 'pg-1', db_user: 'postgres' }),
      dbSessionStart({ time: '2024-05-06T10:00:00Z', user: 'ivan', sid: 'pg-2' }),
      dbSessionStart({ time: '2024-05-06T11:00:00Z', user: 'kofi', sid: 'my-1', db_service: 'billing-mysql', db_protocol: 'mysql', db_uri: 'billing.internal:3306', db_name: 'billing', db_user: 'postgres' }),
      dbSessionStart({ time: '2024-05-07T12:00:00Z', user: 'lena', sid: 'pg-3', db_user: 'postgres', success: false, error: 'password authentication failed' }),
    ],
    chart: [
      ['2024-05-06', '1', 'ivan'],
      ['2024-05-07', '1', 'lena'],
    ],
    detail: [
      ['2024-05-06 09:00:00', 'ivan', 'pg-1', 'orders-pg', 'orders', 'postgres', true, '198.51.100.23:50432'],
      ['2024-05-07 12:00:00', 'lena', 'pg-3', 'orders-pg', 'orders', 'postgres', false, '198.51.100.23:50432'],
    ],
  },
  {
    id: 'many_source_ips',
    // trent logged in from 6 hosts (192.0.2.10 twice on different ports), the 6th first seen at 09:00 on the 7th; ursula from 5, her failures from 2 more do not count.
    events: [
      userLogin({ time: '2024-05-06T08:00:00Z', user: 'trent', success: true, method: 'saml', 'addr.remote': '192.0.2.10:5001' }),
      userLogin({ time: '2024-05-06T09:00:00Z', user: 'trent', success: true, method: 'saml', 'addr.remote': '192.0.2.11:5002' }),
      userLogin({ time: '2024-05-06T10:00:00Z', user: 'trent', success: true, method: 'saml', 'addr.remote': '192.0.2.10:5003' }),
      userLogin({ time: '2024-05-06T11:00:00Z', user: 'trent', success: true, method: 'saml', 'addr.remote': '192.0.2.12' }),
      userLogin({ time: '2024-05-06T12:00:00Z', user: 'trent', success: true, method: 'saml', 'addr.remote': '[2001:db8::1]:443' }),
      userLogin({ time: '2024-05-07T08:00:00Z', user: 'trent', success: true, method: 'saml', 'addr.remote': '[2001:db8::2]:443' }),
      userLogin({ time: '2024-05-07T09:00:00Z', user: 'trent', success: true, method: 'saml', 'addr.remote': '198.51.100.9:6000' }),
      failure('2024-05-07T10:00:00Z', 'trent', '203.0.113.99:1', 'saml'),
      ...[1, 2, 3, 4, 5].map((n) => userLogin({ time: `2024-05-06T1${n}:30:00Z`, user: 'ursula', success: true, mfa_device: MFA_DEVICE, 'addr.remote': `10.0.0.${n}:4000` })),
      failure('2024-05-06T16:00:00Z', 'ursula', '10.0.0.6:4000'),
      failure('2024-05-06T16:01:00Z', 'ursula', '10.0.0.7:4000'),
    ],
    chart: [['2024-05-07', '1', 'trent']],
    detail: [['2024-05-07 09:00:00', 'trent', '6', '192.0.2.10, 192.0.2.11, 192.0.2.12, 2001:db8::1, 2001:db8::2, 198.51.100.9']],
  },
];
