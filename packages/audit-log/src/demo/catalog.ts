// The demo cluster: people, bots and resources of a fictional company, declared as data.
// Identifiers (UUIDs, addresses) are pure functions of the names, never of the run's
// seed, so tests, fixtures and later features can rely on them.
import { stableUuid } from './prng';

export const DEMO_CLUSTER_NAME = 'teleport.acme.example';
export const DEMO_EMAIL_DOMAIN = 'acme.example';
export const DEMO_TELEPORT_VERSION = '17.4.8';

export type DemoTeam = 'platform' | 'sre' | 'dba' | 'security' | 'dev' | 'data' | 'it';
export type DemoLoginMethod = 'local' | 'saml' | 'oidc' | 'github';
export type DemoEnv = 'prod' | 'staging' | 'dev';

export interface DemoMfaDevice {
  name: string;
  uuid: string;
  type: 'TOTP' | 'WebAuthn';
}

export interface DemoTrustedDevice {
  device_id: string;
  /** devicetrust OSType: 2 macOS, 3 Windows. */
  os_type: number;
  asset_tag: string;
  credential_id: string;
}

export interface DemoUser {
  /** Teleport user name, an e-mail address. */
  name: string;
  team: DemoTeam;
  roles: string[];
  loginMethod: DemoLoginMethod;
  /** Absent for the few local accounts that never enrolled a second factor. */
  mfaDevice?: DemoMfaDevice;
  trustedDevice?: DemoTrustedDevice;
  /** Offset of the user's working day from UTC, in hours. */
  utcOffsetHours: number;
  /** Usual client address (home or office egress). */
  homeIp: string;
  sshLogins: string[];
  kubeGroups: string[];
  dbUsers: string[];
  /** Environments the user normally works in. */
  envs: DemoEnv[];
}

export interface DemoBot {
  /** Teleport user name of the bot: `bot-<name>`. */
  name: string;
  botName: string;
  instanceId: string;
  roles: string[];
  ip: string;
  sshLogin: string;
  kubeGroups: string[];
}

export interface DemoHost {
  hostname: string;
  serverId: string;
  addr: string;
  env: DemoEnv;
  labels: Record<string, string>;
}

export interface DemoDatabase {
  service: string;
  protocol: 'postgres' | 'mysql' | 'mongodb' | 'sqlserver';
  uri: string;
  env: DemoEnv;
  type: 'rds' | 'self-hosted';
  names: string[];
  /** Everyday database users. */
  users: string[];
  /** The built-in superuser (`postgres`, `root`, `sa`, `admin`, `rdsadmin`). */
  adminUser: string;
  labels: Record<string, string>;
  serverId: string;
}

export interface DemoKubeCluster {
  name: string;
  env: DemoEnv;
  labels: Record<string, string>;
  namespaces: string[];
  serverId: string;
}

export interface DemoApp {
  name: string;
  uri: string;
  publicAddr: string;
  labels: Record<string, string>;
  awsRoleArn?: string;
  serverId: string;
}

export interface DemoDesktop {
  name: string;
  addr: string;
  domain: string;
  labels: Record<string, string>;
  serviceId: string;
}

interface TeamProfile {
  roles: string[];
  sshLogins: string[];
  kubeGroups: string[];
  dbUsers: string[];
  envs: DemoEnv[];
}

const TEAMS: Record<DemoTeam, TeamProfile> = {
  platform: { roles: ['access', 'editor', 'k8s-admin'], sshLogins: ['ubuntu', 'ec2-user'], kubeGroups: ['sre'], dbUsers: ['readonly'], envs: ['prod', 'staging', 'dev'] },
  sre: { roles: ['access', 'k8s-admin'], sshLogins: ['ubuntu', 'ec2-user'], kubeGroups: ['sre', 'viewers'], dbUsers: ['readonly'], envs: ['prod', 'staging', 'dev'] },
  dba: { roles: ['access', 'dba'], sshLogins: ['ubuntu'], kubeGroups: ['viewers'], dbUsers: ['app_rw', 'readonly', 'migrations'], envs: ['prod', 'staging'] },
  security: { roles: ['access', 'auditor'], sshLogins: ['ubuntu'], kubeGroups: ['viewers'], dbUsers: ['readonly'], envs: ['prod', 'staging'] },
  dev: { roles: ['access'], sshLogins: ['ubuntu', 'ec2-user'], kubeGroups: ['developers'], dbUsers: ['app_ro', 'readonly'], envs: ['dev', 'staging'] },
  data: { roles: ['access', 'analyst'], sshLogins: ['ubuntu'], kubeGroups: ['viewers'], dbUsers: ['analyst', 'readonly'], envs: ['prod', 'staging'] },
  it: { roles: ['access', 'windows-admin'], sshLogins: ['ubuntu'], kubeGroups: ['viewers'], dbUsers: ['readonly'], envs: ['prod'] },
};

// [first name, team, login method, UTC offset, quirks]. `no-mfa`: a local account without a
// second factor; `no-device`: no enrolled trusted device; `windows`: a Windows laptop.
const PEOPLE: ReadonlyArray<readonly [string, DemoTeam, DemoLoginMethod, number, string?]> = [
  ['alice', 'platform', 'local', -5],
  ['bob', 'platform', 'saml', -5],
  ['carol', 'platform', 'saml', 1],
  ['dave', 'sre', 'saml', -5],
  ['erin', 'sre', 'saml', -8],
  ['frank', 'sre', 'oidc', 1],
  ['grace', 'sre', 'saml', 1, 'no-device'],
  ['heidi', 'sre', 'saml', -8],
  ['ivan', 'dba', 'saml', 1],
  ['judy', 'dba', 'saml', -5],
  ['kofi', 'dba', 'oidc', 0],
  ['lena', 'dba', 'saml', 1, 'no-device'],
  ['marco', 'dba', 'local', 1],
  ['nora', 'security', 'saml', -5],
  ['omar', 'security', 'saml', 2],
  ['priya', 'security', 'oidc', 5],
  ['mallory', 'dev', 'local', -5, 'no-device'],
  ['niaj', 'dev', 'github', 5],
  ['olivia', 'dev', 'saml', -8],
  ['peggy', 'dev', 'saml', -5],
  ['rupert', 'dev', 'github', 0, 'no-device'],
  ['sybil', 'dev', 'local', 1],
  ['trent', 'dev', 'saml', -5],
  ['victor', 'dev', 'saml', 1, 'no-device'],
  ['walter', 'dev', 'local', -5, 'no-mfa no-device'],
  ['wendy', 'dev', 'saml', -8],
  ['xavier', 'dev', 'github', 1],
  ['yolanda', 'dev', 'saml', -5],
  ['zoe', 'dev', 'oidc', -8, 'no-device'],
  ['aaron', 'dev', 'saml', -5],
  ['bella', 'dev', 'saml', 1],
  ['chen', 'dev', 'github', -8],
  ['diego', 'dev', 'saml', -5, 'no-device'],
  ['emma', 'dev', 'saml', 1],
  ['fatima', 'dev', 'oidc', 1],
  ['george', 'dev', 'saml', -5],
  ['hana', 'dev', 'github', 5, 'no-device'],
  ['igor', 'dev', 'saml', 2],
  ['jin', 'data', 'saml', -8],
  ['quinn', 'data', 'saml', -5],
  ['raj', 'data', 'oidc', 5, 'no-device'],
  ['sofia', 'data', 'saml', 1],
  ['tom', 'it', 'local', -5, 'windows'],
  ['uma', 'it', 'local', -5, 'no-mfa windows'],
  ['vera', 'it', 'saml', 1, 'windows'],
  ['will', 'dev', 'saml', -5],
];

function buildUser([first, team, loginMethod, utcOffsetHours, quirks = '']: (typeof PEOPLE)[number], index: number): DemoUser {
  const profile = TEAMS[team];
  const name = `${first}@${DEMO_EMAIL_DOMAIN}`;
  const user: DemoUser = {
    name,
    team,
    roles: [...profile.roles],
    loginMethod,
    utcOffsetHours,
    homeIp: `198.51.100.${10 + index}`,
    sshLogins: [...profile.sshLogins, first],
    kubeGroups: [...profile.kubeGroups],
    dbUsers: [...profile.dbUsers],
    envs: [...profile.envs],
  };
  if (!quirks.includes('no-mfa')) {
    const webauthn = loginMethod !== 'local' || index % 2 === 0;
    user.mfaDevice = {
      name: webauthn ? `${first}-yubikey` : 'otp-device',
      uuid: stableUuid(`mfa:${name}`),
      type: webauthn ? 'WebAuthn' : 'TOTP',
    };
  }
  if (!quirks.includes('no-device')) {
    user.trustedDevice = {
      device_id: stableUuid(`device:${name}`),
      os_type: quirks.includes('windows') ? 3 : 2,
      asset_tag: `ACME-${quirks.includes('windows') ? 'W' : 'M'}${String(4100 + index * 7).padStart(5, '0')}`,
      credential_id: stableUuid(`credential:${name}`),
    };
  }
  return user;
}

export const DEMO_USERS: readonly DemoUser[] = PEOPLE.map(buildUser);

export function demoUser(firstName: string): DemoUser {
  const user = DEMO_USERS.find((u) => u.name === `${firstName}@${DEMO_EMAIL_DOMAIN}`);
  if (!user) throw new Error(`no demo user ${firstName}`);
  return user;
}

/** Users allowed to review access requests. */
export const DEMO_REVIEWERS: readonly DemoUser[] = ['alice', 'bob', 'nora'].map(demoUser);

export const DEMO_BOTS: readonly DemoBot[] = [
  { botName: 'ci', roles: ['ci-runner'], ip: '10.0.5.21', sshLogin: 'deploy', kubeGroups: ['ci'] },
  { botName: 'deploy', roles: ['deployer'], ip: '10.0.5.22', sshLogin: 'deploy', kubeGroups: ['deployer'] },
  { botName: 'backup', roles: ['backup'], ip: '10.0.5.23', sshLogin: 'backup', kubeGroups: ['viewers'] },
].map((b) => ({ ...b, name: `bot-${b.botName}`, instanceId: stableUuid(`bot-instance:${b.botName}`) }));

/** Roles that exist in the demo cluster; `admin` and `prod-access` are only ever requested. */
export const DEMO_ROLES: readonly string[] = ['access', 'editor', 'auditor', 'dba', 'k8s-admin', 'analyst', 'windows-admin', 'admin', 'prod-access', 'ci-runner', 'deployer', 'backup'];

// [host name prefix, count, environment, service role, owning team label]
const HOST_GROUPS: ReadonlyArray<readonly [string, number, DemoEnv, string, string]> = [
  ['web', 12, 'prod', 'web', 'storefront'],
  ['api', 10, 'prod', 'api', 'payments'],
  ['worker', 8, 'prod', 'worker', 'payments'],
  ['kafka', 5, 'prod', 'kafka', 'data'],
  ['bastion', 2, 'prod', 'bastion', 'platform'],
  ['monitoring', 3, 'prod', 'monitoring', 'platform'],
  ['staging-web', 6, 'staging', 'web', 'storefront'],
  ['staging-api', 4, 'staging', 'api', 'payments'],
  ['build', 4, 'dev', 'ci', 'platform'],
  ['dev-box', 10, 'dev', 'workstation', 'engineering'],
];

export const DEMO_HOSTS: readonly DemoHost[] = HOST_GROUPS.flatMap(([prefix, count, env, role, team], g) =>
  Array.from({ length: count }, (_, i) => {
    const hostname = `${prefix}-${String(i + 1).padStart(2, '0')}`;
    const region = env === 'prod' && i % 3 === 2 ? 'eu-west-1' : 'us-east-1';
    return {
      hostname,
      serverId: stableUuid(`host:${hostname}`),
      addr: `10.${env === 'prod' ? 1 : env === 'staging' ? 2 : 3}.${g}.${10 + i}:3022`,
      env,
      labels: { env, role, team, region, 'teleport.dev/origin': env === 'dev' ? 'config-file' : 'cloud' },
    };
  }),
);

export const DEMO_DATABASES: readonly DemoDatabase[] = (
  [
    ['orders-pg', 'postgres', 'orders-pg.c7xq2ab1k9.us-east-1.rds.amazonaws.com:5432', 'prod', 'rds', ['orders', 'postgres'], ['app_ro', 'app_rw', 'readonly', 'migrations'], 'postgres'],
    ['analytics-pg', 'postgres', 'analytics-pg.db.acme.example:5432', 'prod', 'self-hosted', ['analytics', 'warehouse'], ['analyst', 'readonly'], 'postgres'],
    ['staging-pg', 'postgres', 'staging-pg.db.acme.example:5432', 'staging', 'self-hosted', ['orders', 'catalog'], ['app_ro', 'app_rw', 'readonly', 'migrations'], 'postgres'],
    ['billing-mysql', 'mysql', 'billing-mysql.db.acme.example:3306', 'prod', 'self-hosted', ['billing', 'invoices'], ['app_ro', 'app_rw', 'readonly'], 'root'],
    ['legacy-mysql', 'mysql', 'legacy-mysql.c7xq2ab1k9.us-east-1.rds.amazonaws.com:3306', 'prod', 'rds', ['crm'], ['app_ro', 'readonly', 'migrations'], 'rdsadmin'],
    ['catalog-mongo', 'mongodb', 'mongodb://catalog-mongo-0.db.acme.example:27017,catalog-mongo-1.db.acme.example:27017/?replicaSet=rs0', 'prod', 'self-hosted', ['catalog', ''], ['app_ro', 'app_rw', 'readonly'], 'admin'],
    ['finance-mssql', 'sqlserver', 'finance-mssql.db.acme.example:1433', 'prod', 'self-hosted', ['ledger', 'master'], ['app_ro', 'readonly', 'analyst'], 'sa'],
  ] as const
).map(([service, protocol, uri, env, type, names, users, adminUser]) => ({
  service,
  protocol,
  uri,
  env,
  type,
  names: [...names],
  users: [...users],
  adminUser,
  labels: { env, engine: protocol, ...(type === 'rds' ? { 'teleport.dev/cloud': 'AWS', region: 'us-east-1' } : {}) },
  serverId: stableUuid(`db:${service}`),
}));

export const DEMO_KUBE_CLUSTERS: readonly DemoKubeCluster[] = (
  [
    ['prod-eks-us-east-1', 'prod', ['checkout', 'payments', 'storefront', 'monitoring', 'kube-system', 'ingress-nginx']],
    ['prod-gke-eu-west-1', 'prod', ['checkout', 'storefront', 'monitoring', 'kube-system']],
    ['staging-eks', 'staging', ['checkout', 'payments', 'storefront', 'default', 'kube-system']],
    ['dev-k3s', 'dev', ['default', 'sandbox', 'kube-system']],
  ] as const
).map(([name, env, namespaces]) => ({
  name,
  env,
  labels: { env, provider: name.includes('gke') ? 'gcp' : name.includes('k3s') ? 'on-prem' : 'aws' },
  namespaces: [...namespaces],
  serverId: stableUuid(`kube:${name}`),
}));

export const DEMO_APPS: readonly DemoApp[] = (
  [
    ['grafana', 'http://grafana.monitoring.svc:3000', { env: 'prod', team: 'platform' }, undefined],
    ['argocd', 'https://argocd-server.argocd.svc', { env: 'prod', team: 'platform' }, undefined],
    ['jenkins', 'http://build-01.internal.acme.example:8080', { env: 'dev', team: 'platform' }, undefined],
    ['aws-console', 'https://console.aws.amazon.com', { env: 'prod', cloud: 'aws' }, 'arn:aws:iam::123456789012:role/ReadOnly'],
    ['vault', 'https://vault.internal.acme.example:8200', { env: 'prod', team: 'security' }, undefined],
    ['kibana', 'http://kibana.logging.svc:5601', { env: 'prod', team: 'security' }, undefined],
  ] as const
).map(([name, uri, labels, awsRoleArn]) => ({
  name,
  uri,
  publicAddr: `${name}.${DEMO_CLUSTER_NAME}`,
  labels: { ...labels },
  ...(awsRoleArn ? { awsRoleArn } : {}),
  serverId: stableUuid(`app:${name}`),
}));

export const DEMO_DESKTOPS: readonly DemoDesktop[] = (
  [
    ['win-dc-01', '10.20.0.10', { env: 'prod', role: 'domain-controller' }],
    ['win-dc-02', '10.20.0.11', { env: 'prod', role: 'domain-controller' }],
    ['win-jump-01', '10.20.1.10', { env: 'prod', role: 'jump-host' }],
    ['win-finance-01', '10.20.2.10', { env: 'prod', role: 'finance' }],
    ['win-build-01', '10.20.3.10', { env: 'dev', role: 'build' }],
  ] as const
).map(([name, ip, labels]) => ({
  name,
  addr: `${ip}:3389`,
  domain: 'corp.acme.example',
  labels: { ...labels },
  serviceId: stableUuid(`desktop-service:${name}`),
}));
