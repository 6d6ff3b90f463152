// Everyday activity of the demo cluster: people logging in and opening SSH, database,
// Kubernetes, app and desktop sessions; bots renewing certificates and deploying; access
// requests; agents joining. The mix is data (ACTIVITY_MIX); each activity emits a few events.
import {
  DEMO_APPS,
  DEMO_BOTS,
  DEMO_DATABASES,
  DEMO_DESKTOPS,
  DEMO_HOSTS,
  DEMO_KUBE_CLUSTERS,
  DEMO_REVIEWERS,
  DEMO_ROLES,
  DEMO_USERS,
  type DemoBot,
  type DemoDatabase,
  type DemoEnv,
  type DemoHost,
  type DemoKubeCluster,
  type DemoTeam,
  type DemoUser,
} from './catalog';
import { DAY_MS, type DemoDay } from './demo-day';
import {
  accessRequestCreate,
  accessRequestReview,
  appSession,
  certCreate,
  dbSession,
  desktopSession,
  instanceJoin,
  kubeExec,
  kubeRequests,
  lockCreated,
  lockDeleted,
  roleChange,
  sshSession,
  userCreate,
  userLogin,
  type DemoActor,
  type SessionSecurity,
} from './event-builders';
import { weightedPicker, type Rng } from './prng';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

type Activity = (day: DemoDay) => void;

function userPicker(weights: Partial<Record<DemoTeam, number>>): (rng: Rng) => DemoUser {
  return weightedPicker(DEMO_USERS.filter((u) => (weights[u.team] ?? 0) > 0).map((u) => [u, weights[u.team]!] as const));
}

const SSH_USER = userPicker({ platform: 3, sre: 3, dev: 1.5, dba: 1, data: 0.6, security: 0.5, it: 0.3 });
const DB_USER = userPicker({ dba: 5, data: 4, dev: 1, sre: 0.5, security: 0.4, platform: 0.3 });
const KUBE_USER = userPicker({ platform: 4, sre: 4, dev: 2, security: 0.2, data: 0.2 });
const APP_USER = userPicker({ platform: 1, sre: 1.5, dev: 1, dba: 0.6, data: 1, security: 1.5, it: 0.5 });
const DESKTOP_USER = userPicker({ it: 8, security: 1, dba: 0.5 });
const ANY_USER = userPicker({ platform: 1, sre: 1, dev: 1, dba: 1, data: 1, security: 1, it: 1 });
const REQUESTER = userPicker({ dev: 3, data: 2, dba: 1, sre: 1 });

const hostsIn = (env: DemoEnv): DemoHost[] => DEMO_HOSTS.filter((h) => h.env === env);
const HOSTS_BY_ENV: Record<DemoEnv, DemoHost[]> = { prod: hostsIn('prod'), staging: hostsIn('staging'), dev: hostsIn('dev') };
const BROWSERS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'tsh/17.4.8',
  'tsh/17.4.8',
];
const EXEC_COMMANDS = ['uptime', 'df -h', 'systemctl status nginx', 'journalctl -u app --since -1h', 'tail -n 200 /var/log/syslog', 'free -m'];
const KUBE_EXEC_COMMANDS = ['/bin/sh', '/bin/bash', 'env', 'cat /etc/app/config.yaml', 'ps aux'];
const REQUEST_REASONS = ['Investigating incident', 'Deploy hotfix', 'Run data migration', 'Debug failing job', 'On-call handover', 'Customer escalation'];
const APP_OF_NAMESPACE: Record<string, string> = {
  checkout: 'checkout-api',
  payments: 'payments-worker',
  storefront: 'storefront-web',
  monitoring: 'prometheus',
  'kube-system': 'coredns',
  'ingress-nginx': 'ingress-nginx-controller',
  default: 'nginx',
  sandbox: 'sandbox-shell',
};

/** Minutes drawn from an exponential distribution: many short sessions, a few long ones. */
function durationMs(rng: Rng, meanMinutes: number, maxMinutes: number): number {
  return Math.round(Math.min(-Math.log(1 - rng.next()) * meanMinutes, maxMinutes) * MINUTE_MS) + rng.int(5_000, 60_000);
}

function pickEnv(rng: Rng, user: DemoUser): DemoEnv {
  return rng.pick(user.envs);
}

export function hostFor(rng: Rng, env: DemoEnv): DemoHost {
  return rng.pick(HOSTS_BY_ENV[env]);
}

function databaseFor(rng: Rng, env: DemoEnv): DemoDatabase {
  const inEnv = DEMO_DATABASES.filter((d) => d.env === env);
  return rng.pick(inEnv.length > 0 ? inEnv : DEMO_DATABASES);
}

function clusterFor(rng: Rng, env: DemoEnv): DemoKubeCluster {
  return rng.pick(DEMO_KUBE_CLUSTERS.filter((c) => c.env === env));
}

export function podIn(rng: Rng, namespace: string): { pod: string; container: string; image: string; node: string } {
  const app = APP_OF_NAMESPACE[namespace] ?? 'app';
  return {
    pod: `${app}-${rng.hex(10)}-${rng.hex(5)}`,
    container: app,
    image: `registry.acme.example/${app}:1.${rng.int(10, 48)}.${rng.int(0, 9)}`,
    node: `ip-10-4-${rng.int(0, 15)}-${rng.int(10, 250)}.ec2.internal`,
  };
}

function sshActivity(day: DemoDay): void {
  const rng = day.rng;
  const user = SSH_USER(rng);
  const security = day.humanSecurity(user);
  const env = pickEnv(rng, user);
  const startMs = day.workTime(user);
  const interactive = rng.chance(0.8);
  // Admins occasionally log in as root: real, and exactly what the root-session finding is for.
  const login = (user.team === 'sre' || user.team === 'platform') && rng.chance(0.03) ? 'root' : rng.pick(user.sshLogins);
  if (security.withMfa && rng.chance(0.25)) emitMfaCert(day, user, startMs - rng.int(1_000, 20_000));
  day.emit(
    ...sshSession(day.stamp, {
      actor: user,
      host: hostFor(rng, env),
      login,
      clientAddr: day.clientAddr(user),
      startMs,
      endMs: day.clamp(startMs + (interactive ? durationMs(rng, 20, 240) : rng.int(1_000, 20_000))),
      security,
      interactive,
      command: interactive ? undefined : rng.pick(EXEC_COMMANDS),
    }),
  );
}

function dbActivity(day: DemoDay): void {
  const rng = day.rng;
  const user = DB_USER(rng);
  const security = day.humanSecurity(user);
  const db = databaseFor(rng, pickEnv(rng, user));
  const allowed = user.dbUsers.filter((u) => db.users.includes(u));
  const dbUser = user.team === 'dba' && rng.chance(0.04) ? db.adminUser : rng.pick(allowed.length > 0 ? allowed : db.users);
  const startMs = day.workTime(user);
  if (security.withMfa && rng.chance(0.25)) emitMfaCert(day, user, startMs - rng.int(1_000, 20_000));
  day.emit(
    ...dbSession(day.stamp, {
      actor: user,
      db,
      dbUser,
      dbName: rng.pick(db.names),
      clientAddr: day.clientAddr(user),
      startMs,
      endMs: day.clamp(startMs + durationMs(rng, 12, 180)),
      security,
      denied: rng.chance(0.03),
    }),
  );
}

const KUBE_CALLS = weightedPicker<readonly [verb: string, kind: string, apiGroup: string, named: boolean]>([
  [['GET', 'pods', 'core/v1', false], 30],
  [['GET', 'pods', 'core/v1', true], 12],
  [['GET', 'deployments', 'apps/v1', false], 10],
  [['GET', 'deployments', 'apps/v1', true], 5],
  [['GET', 'services', 'core/v1', false], 6],
  [['GET', 'events', 'core/v1', false], 6],
  [['GET', 'configmaps', 'core/v1', true], 4],
  [['GET', 'secrets', 'core/v1', true], 1.5],
  [['PATCH', 'deployments', 'apps/v1', true], 3],
  [['DELETE', 'pods', 'core/v1', true], 2],
  [['GET', 'ingresses', 'networking.k8s.io/v1', false], 2],
  [['POST', 'jobs', 'batch/v1', false], 1],
]);

interface KubeBurst {
  actor: DemoActor;
  cluster: DemoKubeCluster;
  groups: string[];
  security: SessionSecurity;
  startMs: number;
  calls: number;
}

export function emitKubeBurst(day: DemoDay, burst: KubeBurst): number {
  const rng = day.rng;
  const request = kubeRequests(day.stamp, { ...burst, clientAddr: day.clientAddr(burst.actor) });
  let ms = burst.startMs;
  for (let i = 0; i < burst.calls; i++) {
    const [verb, kind, apiGroup, named] = KUBE_CALLS(rng);
    const namespace = rng.pick(burst.cluster.namespaces);
    const roll = rng.next();
    day.emit(
      request({
        ms: day.clamp(ms),
        verb,
        namespace,
        kind,
        apiGroup,
        name: named ? (kind === 'pods' ? podIn(rng, namespace).pod : (APP_OF_NAMESPACE[namespace] ?? 'app')) : undefined,
        responseCode: roll < 0.92 ? 200 : roll < 0.97 ? 403 : 404,
      }),
    );
    ms += rng.int(300, 20_000);
  }
  return ms;
}

function kubeActivity(day: DemoDay): void {
  const rng = day.rng;
  const user = KUBE_USER(rng);
  const cluster = clusterFor(rng, pickEnv(rng, user));
  const admin = user.roles.includes('k8s-admin');
  // Cluster admins now and then reach for the built-in superuser group.
  const groups = admin && rng.chance(0.03) ? ['system:masters'] : user.kubeGroups;
  const security = day.humanSecurity(user);
  const endMs = emitKubeBurst(day, { actor: user, cluster, groups, security, startMs: day.workTime(user), calls: rng.int(3, 14) });
  if (rng.chance(0.12)) {
    const namespace = rng.pick(cluster.namespaces.filter((n) => n !== 'kube-system'));
    day.emit(
      ...kubeExec(day.stamp, {
        actor: user,
        cluster,
        groups,
        clientAddr: day.clientAddr(user),
        startMs: day.clamp(endMs),
        endMs: day.clamp(endMs + durationMs(rng, 6, 60)),
        security,
        namespace,
        ...podIn(rng, namespace),
        command: rng.pick(KUBE_EXEC_COMMANDS),
      }),
    );
  }
}

function appActivity(day: DemoDay): void {
  const user = APP_USER(day.rng);
  const app = day.rng.pick(DEMO_APPS);
  // Web apps are often opened without a per-session MFA prompt.
  day.emit(appSession(day.stamp, { actor: user, app, clientAddr: day.clientAddr(user), ms: day.workTime(user), security: day.humanSecurity(user, 0.75) }));
}

function desktopActivity(day: DemoDay): void {
  const rng = day.rng;
  const user = DESKTOP_USER(rng);
  const startMs = day.workTime(user);
  day.emit(
    ...desktopSession(day.stamp, {
      actor: user,
      desktop: rng.pick(DEMO_DESKTOPS),
      windowsUser: user.team === 'it' && rng.chance(0.5) ? 'Administrator' : user.name.split('@')[0]!,
      clientAddr: day.clientAddr(user),
      startMs,
      endMs: day.clamp(startMs + durationMs(rng, 25, 240)),
      security: day.humanSecurity(user),
    }),
  );
}

/** A per-session MFA certificate: what `with_mfa` on the following session refers to. */
function emitMfaCert(day: DemoDay, user: DemoUser, ms: number): void {
  day.emit(
    certCreate(day.stamp, {
      actor: user,
      ms: Math.max(ms, day.dayStartMs),
      ttlMs: HOUR_MS,
      clientIp: user.homeIp,
      roles: user.roles,
      logins: user.sshLogins,
      kubernetesGroups: user.kubeGroups,
      mfaDeviceUuid: user.mfaDevice?.uuid,
      trustedDevice: user.trustedDevice,
    }),
  );
}

const HUMAN_CERT_TTL = weightedPicker<number>([
  [12 * HOUR_MS, 70],
  [8 * HOUR_MS, 25],
  [36 * HOUR_MS, 3],
  [3 * DAY_MS, 1.5],
  [30 * DAY_MS, 0.5],
]);

/** Signing in: `user.login`, then the user certificate it issues. */
export function emitLogin(day: DemoDay, user: DemoUser, ms: number, clientAddr = day.clientAddr(user), ttlMs = HUMAN_CERT_TTL(day.rng)): void {
  day.emit(
    userLogin(day.stamp, { user, ms, clientAddr, userAgent: day.rng.pick(BROWSERS), withMfa: user.mfaDevice !== undefined }),
    certCreate(day.stamp, {
      actor: user,
      ms: day.clamp(ms + day.rng.int(5, 60)),
      ttlMs,
      clientIp: clientAddr.replace(/:\d+$/, ''),
      roles: user.roles,
      logins: user.sshLogins,
      kubernetesGroups: user.kubeGroups,
      trustedDevice: user.trustedDevice,
    }),
  );
}

function loginActivity(day: DemoDay): void {
  const user = ANY_USER(day.rng);
  emitLogin(day, user, day.workTime(user));
}

const LOGIN_FAILURE: Record<DemoUser['loginMethod'], string> = {
  local: 'invalid username, password or second factor',
  saml: 'received response with incorrect or missing attribute statements, please check the identity provider configuration',
  oidc: 'unable to exchange code: oauth2: cannot fetch token: 400 Bad Request',
  github: 'user does not belong to any teams configured in "github" connector',
};

/** A mistyped password or an IdP hiccup, then a successful retry. */
function loginFailureActivity(day: DemoDay): void {
  const rng = day.rng;
  const user = ANY_USER(rng);
  const clientAddr = day.clientAddr(user);
  let ms = day.workTime(user);
  day.emit(userLogin(day.stamp, { user, ms, clientAddr, userAgent: rng.pick(BROWSERS), withMfa: false, failure: LOGIN_FAILURE[user.loginMethod] }));
  ms += rng.int(10_000, 90_000);
  emitLogin(day, user, day.clamp(ms), clientAddr);
}

function botCertActivity(day: DemoDay): void {
  const rng = day.rng;
  const bot = rng.pick(DEMO_BOTS);
  day.emit(
    certCreate(day.stamp, {
      actor: bot,
      ms: day.anyTime(),
      ttlMs: HOUR_MS,
      clientIp: bot.ip,
      roles: bot.roles,
      logins: [`-teleport-nologin-${rng.uuid()}`],
      kubernetesGroups: bot.kubeGroups,
      userAgent: 'tbot/17.4.8 grpc-go/1.71.0',
    }),
  );
}

function botSshActivity(day: DemoDay): void {
  const rng = day.rng;
  const bot: DemoBot = rng.pick(DEMO_BOTS);
  const startMs = day.anyTime();
  day.emit(
    ...sshSession(day.stamp, {
      actor: bot,
      host: hostFor(rng, bot.botName === 'ci' ? 'dev' : 'prod'),
      login: bot.sshLogin,
      clientAddr: day.clientAddr(bot),
      startMs,
      endMs: day.clamp(startMs + rng.int(2_000, 120_000)),
      security: day.botSecurity(bot),
      interactive: false,
      command: bot.botName === 'backup' ? '/usr/local/bin/backup --incremental' : 'ansible-playbook deploy.yml',
    }),
  );
}

function botKubeActivity(day: DemoDay): void {
  const rng = day.rng;
  const bot = DEMO_BOTS.find((b) => b.botName === 'deploy')!;
  emitKubeBurst(day, {
    actor: bot,
    cluster: clusterFor(rng, rng.pick(['prod', 'staging'] as const)),
    groups: bot.kubeGroups,
    security: day.botSecurity(bot),
    startMs: day.anyTime(),
    calls: rng.int(2, 6),
  });
}

function botBackupActivity(day: DemoDay): void {
  const rng = day.rng;
  const bot = DEMO_BOTS.find((b) => b.botName === 'backup')!;
  const db = rng.pick(DEMO_DATABASES);
  const startMs = day.anyTime();
  day.emit(
    ...dbSession(day.stamp, {
      actor: bot,
      db,
      dbUser: 'readonly',
      dbName: db.names[0]!,
      clientAddr: day.clientAddr(bot),
      startMs,
      endMs: day.clamp(startMs + rng.int(60_000, 40 * MINUTE_MS)),
      security: day.botSecurity(bot),
    }),
  );
}

const REQUESTED_ROLES = weightedPicker<string[]>([
  [['dba'], 3],
  [['k8s-admin'], 3],
  [['prod-access'], 3],
  [['editor'], 1],
  [['admin'], 0.4],
]);

/**
 * An access request, its review and, once approved, the sessions it was for (their
 * `access_requests` carries the request ID).
 */
export function emitAccessRequest(day: DemoDay, requester: DemoUser, roles: string[], reviewer: DemoUser, approve: boolean, ms: number): void {
  const rng = day.rng;
  const id = rng.uuid();
  const accessExpiresMs = ms + rng.pick([2, 4, 8]) * HOUR_MS;
  const reason = rng.pick(REQUEST_REASONS);
  day.emit(accessRequestCreate(day.stamp, { user: requester, id, ms, roles, reason, accessExpiresMs }));
  const reviewMs = day.clamp(ms + rng.int(2, 40) * MINUTE_MS);
  day.emit(accessRequestReview(day.stamp, { reviewer, id, ms: reviewMs, approve, reason: approve ? 'approved' : 'not justified', accessExpiresMs }));
  if (!approve) return;
  const security: SessionSecurity = { ...day.humanSecurity(requester), accessRequests: [id] };
  day.emit(
    certCreate(day.stamp, {
      actor: requester,
      ms: day.clamp(reviewMs + rng.int(5_000, 120_000)),
      ttlMs: accessExpiresMs - reviewMs,
      clientIp: requester.homeIp,
      roles: [...requester.roles, ...roles],
      logins: requester.sshLogins,
      accessRequests: [id],
      trustedDevice: requester.trustedDevice,
    }),
  );
  const sessions = rng.int(1, 3);
  for (let i = 0; i < sessions; i++) {
    const startMs = day.clamp(reviewMs + rng.int(3, 90) * MINUTE_MS);
    if (roles.includes('dba')) {
      const db = databaseFor(rng, 'prod');
      day.emit(
        ...dbSession(day.stamp, {
          actor: requester,
          db,
          dbUser: rng.pick(db.users),
          dbName: rng.pick(db.names),
          clientAddr: day.clientAddr(requester),
          startMs,
          endMs: day.clamp(startMs + durationMs(rng, 15, 120)),
          security,
        }),
      );
    } else if (roles.includes('k8s-admin')) {
      emitKubeBurst(day, { actor: requester, cluster: clusterFor(rng, 'prod'), groups: ['sre'], security, startMs, calls: rng.int(3, 10) });
    } else {
      day.emit(
        ...sshSession(day.stamp, {
          actor: requester,
          host: hostFor(rng, 'prod'),
          login: 'ubuntu',
          clientAddr: day.clientAddr(requester),
          startMs,
          endMs: day.clamp(startMs + durationMs(rng, 20, 120)),
          security,
          interactive: true,
        }),
      );
    }
  }
}

function accessRequestActivity(day: DemoDay): void {
  const rng = day.rng;
  const requester = REQUESTER(rng);
  const reviewer = rng.pick(DEMO_REVIEWERS.filter((r) => r !== requester));
  emitAccessRequest(day, requester, REQUESTED_ROLES(rng), reviewer, rng.chance(0.85), day.workTime(requester));
}

const JOINING_HOSTS = DEMO_HOSTS.filter((h) => /^(web|worker|staging-web|build)-/.test(h.hostname));

/** Autoscaled agents joining with short-lived provisioning tokens. */
function instanceJoinActivity(day: DemoDay): void {
  const rng = day.rng;
  day.emit(instanceJoin(day.stamp, { host: rng.pick(JOINING_HOSTS), ms: day.anyTime(), tokenTtlMs: rng.pick([15, 30, 60, 240]) * MINUTE_MS }));
}

function adminActivity(day: DemoDay): void {
  const rng = day.rng;
  const admin = rng.pick(DEMO_REVIEWERS);
  const ms = day.workTime(admin);
  const roll = rng.next();
  if (roll < 0.5) {
    day.emit(roleChange(day.stamp, 'role.updated', admin, rng.pick(DEMO_ROLES), ms, day.clientAddr(admin)));
  } else if (roll < 0.75) {
    day.emit(userCreate(day.stamp, { actor: 'system', name: `contractor-${rng.hex(6)}@acme.example`, roles: ['access'], connector: 'okta', ms }));
  } else {
    const target = { user: rng.pick(DEMO_USERS).name };
    const lockName = rng.uuid();
    day.emit(lockCreated(day.stamp, { actor: admin, lockName, target, ms, message: 'Suspicious activity', expiresMs: ms + DAY_MS }));
    day.emit(lockDeleted(day.stamp, { actor: admin, lockName, target, ms: day.clamp(ms + rng.int(10, 180) * MINUTE_MS) }));
  }
}

/** Relative frequency of each activity; a Kubernetes burst emits ~9 events, a login 2. */
const ACTIVITY_MIX = weightedPicker<Activity>([
  [sshActivity, 22],
  [dbActivity, 14],
  [kubeActivity, 10],
  [appActivity, 8],
  [desktopActivity, 2],
  [loginActivity, 9],
  [loginFailureActivity, 0.8],
  [botCertActivity, 9],
  [botSshActivity, 3],
  [botKubeActivity, 2],
  [botBackupActivity, 1],
  [accessRequestActivity, 1.2],
  [instanceJoinActivity, 0.8],
  [adminActivity, 0.3],
]);

/** Emits everyday activity until the day holds at least `targetEvents` events. */
export function emitDailyTraffic(day: DemoDay, targetEvents: number): void {
  while (day.emitted < targetEvents) ACTIVITY_MIX(day.rng)(day);
}
