// Hand-built fixtures for the Privileged Access Report, with the rows counted by hand. Chart rows are
// listed sorted (as JSON text): Teleport's queries order by day only.
import type { FindingCase } from './finding-case';
import { certCreate, dbSessionEnd, dbSessionStart, exec, instanceJoin, kubeRequest, kubeSessionStart, sessionStart } from './teleport-events';

const DEVICE = { device_id: 'c5a1e2f0-7d3b-4f6a-9e8d-1b2c3d4e5f60', os_type: 2, asset_tag: 'C02XK1ZZJG5H', credential_id: 'cred-1' };
const REQUEST = ['018f5a2e-9b1c-7d3e-8f4a-5b6c7d8e9f01'];
const WEB_01 = '3a4bc2d6-0c36-4f1e-9b3a-5b2f4d8e9c01';

export const PRIVILEGE_ACCESS_CASES: FindingCase[] = [
  {
    id: 'database_sessions_with_weak_security',
    // alice's plain session and erin's refused one are weak (Teleport counts refused starts too); MFA, a request, a device or an impersonator each make a session strong; an end is no start.
    events: [
      dbSessionStart({ time: '2024-05-06T09:00:00Z', user: 'alice', sid: 'db-1' }),
      dbSessionEnd({ time: '2024-05-06T09:30:00Z', user: 'alice', sid: 'db-1' }),
      dbSessionStart({ time: '2024-05-06T10:00:00Z', user: 'alice', sid: 'db-2', with_mfa: 'b0d3c1aa-mfa-alice' }),
      dbSessionStart({ time: '2024-05-06T11:00:00Z', user: 'bob', sid: 'db-3', access_requests: REQUEST }),
      dbSessionStart({ time: '2024-05-07T08:00:00Z', user: 'carol', sid: 'db-4', trusted_device: DEVICE }),
      dbSessionStart({ time: '2024-05-07T09:00:00Z', user: 'dave', sid: 'db-5', impersonator: 'bot-ci' }),
      dbSessionStart({ time: '2024-05-07T10:00:00.250Z', user: 'erin', sid: 'db-6', success: false, error: 'access to db denied', message: 'access to db denied' }),
    ],
    chart: [
      ['2024-05-06', '1', 'alice'],
      ['2024-05-07', '1', 'erin'],
    ],
    detail: [
      ['2024-05-06 09:00:00', 'alice', 'db-1', 'orders-pg', 'postgres', 'orders', 'app_rw', true, '198.51.100.23:50432'],
      ['2024-05-07 10:00:00.25', 'erin', 'db-6', 'orders-pg', 'postgres', 'orders', 'app_rw', false, '198.51.100.23:50432'],
    ],
  },
  {
    id: 'kube_execs',
    // Teleport counts Kubernetes session starts (proto kube): zoe's weak one and xena's refused one; MFA or a request make one strong;
    // the exec event of zoe's session, an SSH session and an old node's session (no proto) are not Kubernetes session starts.
    events: [
      kubeSessionStart({ time: '2024-05-06T12:59:00Z', user: 'zoe', sid: 'k-1' }),
      exec({ time: '2024-05-06T13:00:00Z', user: 'zoe', sid: 'k-1' }),
      kubeSessionStart({ time: '2024-05-06T14:00:00Z', user: 'zoe', sid: 'k-2', with_mfa: 'b0d3c1aa-mfa-zoe' }),
      kubeSessionStart({ time: '2024-05-06T15:00:00Z', user: 'zoe', sid: 'k-3', access_requests: REQUEST }),
      sessionStart({ time: '2024-05-06T16:00:00Z', user: 'yuri', sid: 's-9' }),
      kubeSessionStart({ time: '2024-05-06T17:00:00Z', user: 'lee', sid: 'k-6', proto: undefined }),
      kubeSessionStart({ time: '2024-05-07T08:00:00Z', user: 'xena', sid: 'k-4', code: 'T2000E', kubernetes_pod_name: 'payments-5c4b3-fghij', kubernetes_pod_namespace: 'payments' }),
    ],
    chart: [
      ['2024-05-06', '1', 'zoe'],
      ['2024-05-07', '1', 'xena'],
    ],
    detail: [
      ['2024-05-06 12:59:00', 'zoe', 'k-1', 'staging-eks', 'checkout', 'checkout-7d9f8-abcde', 'app', 'zoe', '198.51.100.21:53200'],
      ['2024-05-07 08:00:00', 'xena', 'k-4', 'staging-eks', 'payments', 'payments-5c4b3-fghij', 'app', 'xena', '198.51.100.21:53200'],
    ],
  },
  {
    id: 'kube_access_with_weak_security',
    // zoe's two weak calls on the 6th and hank's on the 7th count; MFA and impersonation are strong; hank's call on the 8th is outside the window.
    events: [
      kubeRequest({ time: '2024-05-06T15:00:00Z', user: 'zoe' }),
      kubeRequest({ time: '2024-05-06T15:01:00Z', user: 'zoe', verb: 'DELETE', request_path: '/api/v1/namespaces/checkout/pods/checkout-7d9f8-abcde', resource_name: 'checkout-7d9f8-abcde', response_code: 403 }),
      kubeRequest({ time: '2024-05-06T16:00:00Z', user: 'frank', with_mfa: 'b0d3c1aa-mfa-frank' }),
      kubeRequest({ time: '2024-05-06T17:00:00Z', user: 'gina', impersonator: 'bot-argo' }),
      kubeRequest({ time: '2024-05-07T09:00:00Z', user: 'hank' }),
      kubeRequest({ time: '2024-05-08T09:00:00Z', user: 'hank' }),
    ],
    chart: [
      ['2024-05-06', '2', 'zoe'],
      ['2024-05-07', '1', 'hank'],
    ],
    detail: [
      ['2024-05-06 15:00:00', 'zoe', 'prod-eks', 'GET', '/api/v1/namespaces/checkout/pods', 200, '198.51.100.22:40100'],
      ['2024-05-06 15:01:00', 'zoe', 'prod-eks', 'DELETE', '/api/v1/namespaces/checkout/pods/checkout-7d9f8-abcde', 403, '198.51.100.22:40100'],
      ['2024-05-07 09:00:00', 'hank', 'prod-eks', 'GET', '/api/v1/namespaces/checkout/pods', 200, '198.51.100.22:40100'],
    ],
  },
  {
    id: 'ssh_sessions_with_weak_security',
    // victor's and olga's weak SSH sessions count; grace's from an old node (no proto) does not, as in Teleport; kube sessions, MFA and a trusted device do not; the 8th is outside the window.
    events: [
      sessionStart({ time: '2024-05-06T11:00:00Z', user: 'victor', sid: 's-1' }),
      kubeSessionStart({ time: '2024-05-06T12:00:00Z', user: 'ken', sid: 'k-5' }),
      kubeSessionStart({ time: '2024-05-06T13:00:00Z', user: 'lee', sid: 'k-6', proto: undefined }),
      sessionStart({ time: '2024-05-06T14:00:00Z', user: 'mia', sid: 's-3', with_mfa: 'b0d3c1aa-mfa-mia' }),
      sessionStart({ time: '2024-05-06T15:00:00Z', user: 'noah', sid: 's-4', trusted_device: DEVICE }),
      sessionStart({ time: '2024-05-07T09:00:00Z', user: 'grace', sid: 's-2', proto: undefined, server_hostname: undefined }),
      sessionStart({ time: '2024-05-07T10:00:00Z', user: 'olga', sid: 's-6', login: 'deploy' }),
      sessionStart({ time: '2024-05-08T10:00:00Z', user: 'victor', sid: 's-5' }),
    ],
    chart: [
      ['2024-05-06', '1', 'victor'],
      ['2024-05-07', '1', 'olga'],
    ],
    detail: [
      ['2024-05-06 11:00:00', 'victor', 's-1', 'ubuntu', 'web-01', WEB_01, '198.51.100.20:53124'],
      ['2024-05-07 10:00:00', 'olga', 's-6', 'deploy', 'web-01', WEB_01, '198.51.100.20:53124'],
    ],
  },
  {
    id: 'cert_expiration_more_than_1d',
    // hana's 25-hour (nanosecond expiry) and julia's 30-day certificates count; ivan's 23-hour and erin's exactly-24-hour ones do not.
    events: [
      certCreate({ time: '2024-05-06T09:00:00.123Z', identity: { user: 'hana', expires: '2024-05-07T10:00:00.123456789Z', client_ip: '203.0.113.7' } }),
      certCreate({ time: '2024-05-06T10:00:00Z', identity: { user: 'ivan', expires: '2024-05-07T09:00:00Z', client_ip: '203.0.113.8' } }),
      certCreate({ time: '2024-05-06T11:00:00Z', identity: { user: 'erin', expires: '2024-05-07T11:00:00Z', client_ip: '203.0.113.8' } }),
      certCreate({ time: '2024-05-07T08:00:00Z', identity: { user: 'julia', expires: '2024-06-06T08:00:00Z', client_ip: '203.0.113.9' } }),
    ],
    chart: [
      ['2024-05-06', '1', 'hana'],
      ['2024-05-07', '1', 'julia'],
    ],
    detail: [
      ['2024-05-06 09:00:00.123', 'hana', 'user', '2024-05-07T10:00:00.123456789Z', '25', '203.0.113.7'],
      ['2024-05-07 08:00:00', 'julia', 'user', '2024-06-06T08:00:00Z', '720', '203.0.113.9'],
    ],
  },
  {
    id: 'db_postgres_user',
    // Teleport counts every database session start, whatever the protocol, database user, MFA or outcome: ivan's two, kofi's MySQL one, lena's refused one; an end is no start.
    events: [
      dbSessionStart({ time: '2024-05-06T09:00:00Z', user: 'ivan', sid: 'pg-1', db_user: 'postgres', with_mfa: 'b0d3c1aa-mfa-ivan', trusted_device: DEVICE }),
      dbSessionEnd({ time: '2024-05-06T09:30:00Z', user: 'ivan', sid: 'pg-1' }),
      dbSessionStart({ time: '2024-05-06T10:00:00Z', user: 'ivan', sid: 'pg-2' }),
      dbSessionStart({ time: '2024-05-06T11:00:00Z', user: 'kofi', sid: 'my-1', db_service: 'billing-mysql', db_protocol: 'mysql', db_uri: 'billing.internal:3306', db_name: 'billing', db_user: 'postgres' }),
      dbSessionStart({ time: '2024-05-07T12:00:00Z', user: 'lena', sid: 'pg-3', db_user: 'postgres', success: false, error: 'password authentication failed' }),
    ],
    chart: [
      ['2024-05-06', '1', 'kofi'],
      ['2024-05-06', '2', 'ivan'],
      ['2024-05-07', '1', 'lena'],
    ],
    detail: [
      ['2024-05-06 09:00:00', 'ivan', 'pg-1', 'orders-pg', 'postgres', 'orders', 'postgres', true, '198.51.100.23:50432'],
      ['2024-05-06 10:00:00', 'ivan', 'pg-2', 'orders-pg', 'postgres', 'orders', 'app_rw', true, '198.51.100.23:50432'],
      ['2024-05-06 11:00:00', 'kofi', 'my-1', 'billing-mysql', 'mysql', 'billing', 'postgres', true, '198.51.100.23:50432'],
      ['2024-05-07 12:00:00', 'lena', 'pg-3', 'orders-pg', 'postgres', 'orders', 'postgres', false, '198.51.100.23:50432'],
    ],
  },
  {
    id: 'instance_join_token_less_than_1d',
    // kafka-01's 30-day and web-02's 25-hour tokens count; web-01's 1-hour token does not, nor db-01's static token, whose expiry Teleport reports as the epoch.
    events: [
      instanceJoin({ time: '2024-05-06T03:00:00Z', node_name: 'kafka-01', host_id: 'host-k1', token_expires: '2024-06-05T03:00:00.123456789Z' }),
      instanceJoin({ time: '2024-05-06T04:00:00Z', node_name: 'web-01', host_id: 'host-w1', token_expires: '2024-05-06T05:00:00Z' }),
      instanceJoin({ time: '2024-05-07T06:00:00Z', node_name: 'web-02', host_id: 'host-w2', token_expires: '2024-05-08T07:00:00Z' }),
      instanceJoin({ time: '2024-05-07T07:00:00Z', node_name: 'db-01', host_id: 'host-d1', token_expires: '1970-01-01T00:00:00Z' }),
    ],
    chart: [
      ['2024-05-06', '1', 'kafka-01', 'host-k1'],
      ['2024-05-07', '1', 'web-02', 'host-w2'],
    ],
    detail: [
      ['2024-05-06 03:00:00', 'kafka-01', 'host-k1', 'Instance', 'token', '************************a2418147', '2024-06-05T03:00:00.123456789Z', true, '10.2.0.15'],
      ['2024-05-07 06:00:00', 'web-02', 'host-w2', 'Instance', 'token', '************************a2418147', '2024-05-08T07:00:00Z', true, '10.2.0.15'],
    ],
  },
  {
    id: 'session_start_root_user',
    // Teleport counts every session start as root: dave's SSH session (with MFA), grace's from an old node and a Kubernetes session whose login is root; dave's ubuntu session does not.
    events: [
      sessionStart({ time: '2024-05-06T14:00:00Z', user: 'dave', sid: 'r-1', login: 'root', with_mfa: 'b0d3c1aa-mfa-dave' }),
      sessionStart({ time: '2024-05-06T15:00:00Z', user: 'dave', sid: 'r-2' }),
      kubeSessionStart({ time: '2024-05-06T16:00:00Z', user: 'root', sid: 'k-7', login: 'root' }),
      sessionStart({ time: '2024-05-07T09:30:00Z', user: 'grace', sid: 'r-3', login: 'root', proto: undefined }),
    ],
    chart: [
      ['2024-05-06', '1', 'dave'],
      ['2024-05-06', '1', 'root'],
      ['2024-05-07', '1', 'grace'],
    ],
    detail: [
      ['2024-05-06 14:00:00', 'dave', 'r-1', 'root', 'ssh', 'web-01', WEB_01, '198.51.100.20:53124'],
      ['2024-05-06 16:00:00', 'root', 'k-7', 'root', 'kube', 'kube-agent-staging-eks', '7d1f9a0e-5b7c-4a43-8d8e-2c9a1e6b3f10', '198.51.100.21:53200'],
      ['2024-05-07 09:30:00', 'grace', 'r-3', 'root', null, 'web-01', WEB_01, '198.51.100.20:53124'],
    ],
  },
  {
    id: 'kube_system_api_calls',
    // Calls whose groups include system:masters count even with MFA (frank, gina); developers only, or no groups at all, do not.
    events: [
      kubeRequest({ time: '2024-05-06T16:00:00Z', user: 'frank', kubernetes_groups: ['system:masters', 'developers'], with_mfa: 'b0d3c1aa-mfa-frank' }),
      kubeRequest({ time: '2024-05-06T16:05:00Z', user: 'frank' }),
      kubeRequest({ time: '2024-05-07T10:00:00Z', user: 'gina', kubernetes_groups: ['system:masters'], verb: 'POST', request_path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', response_code: 201 }),
      kubeRequest({ time: '2024-05-07T11:00:00Z', user: 'hank', kubernetes_groups: undefined }),
    ],
    chart: [
      ['2024-05-06', '1', 'frank'],
      ['2024-05-07', '1', 'gina'],
    ],
    detail: [
      ['2024-05-06 16:00:00', 'frank', 'prod-eks', 'GET', '/api/v1/namespaces/checkout/pods', 200, '198.51.100.22:40100'],
      ['2024-05-07 10:00:00', 'gina', 'prod-eks', 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', 201, '198.51.100.22:40100'],
    ],
  },
];
