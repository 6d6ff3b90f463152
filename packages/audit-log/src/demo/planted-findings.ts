// Risky behaviour planted every day, so that every finding of Teleport's Privileged Access
// Report (ACCESS-MONITORING.md) and of this project's extra findings has rows in any
// window, however short. Ids of Teleport's findings are its audit query names.
import { DEMO_DATABASES, DEMO_DESKTOPS, DEMO_HOSTS, DEMO_KUBE_CLUSTERS, DEMO_APPS, demoUser, type DemoDatabase } from './catalog';
import { emitAccessRequest, emitKubeBurst, emitLogin, hostFor, podIn } from './daily-traffic';
import { DAY_MS, type DemoDay } from './demo-day';
import {
  appSession,
  certCreate,
  dbSession,
  desktopSession,
  instanceJoin,
  kubeExec,
  lockCreated,
  lockDeleted,
  roleChange,
  sshSession,
  userCreate,
  userLogin,
  WEAK_SECURITY,
} from './event-builders';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export interface PlantedFinding {
  id: string;
  description: string;
  plant(day: DemoDay): void;
}

function database(service: string): DemoDatabase {
  return DEMO_DATABASES.find((d) => d.service === service)!;
}

function host(hostname: string) {
  return DEMO_HOSTS.find((h) => h.hostname === hostname)!;
}

function plantDbSession(day: DemoDay, first: string, service: string, dbUser: string, weak: boolean): void {
  const user = demoUser(first);
  const db = database(service);
  const startMs = day.at(user, 10);
  day.emit(
    ...dbSession(day.stamp, {
      actor: user,
      db,
      dbUser,
      dbName: db.names[0]!,
      clientAddr: day.clientAddr(user),
      startMs,
      endMs: day.clamp(startMs + day.rng.int(2, 40) * MINUTE_MS),
      security: weak ? WEAK_SECURITY : { withMfa: user.mfaDevice?.uuid, trustedDevice: user.trustedDevice },
    }),
  );
}

export const PLANTED_FINDINGS: readonly PlantedFinding[] = [
  {
    id: 'ssh_sessions_with_weak_security',
    description: 'an SSH session with no MFA, access request, impersonator or trusted device',
    plant(day) {
      const user = demoUser('victor');
      const startMs = day.at(user, 11);
      day.emit(
        ...sshSession(day.stamp, {
          actor: user,
          host: hostFor(day.rng, 'staging'),
          login: 'ubuntu',
          clientAddr: day.clientAddr(user),
          startMs,
          endMs: day.clamp(startMs + day.rng.int(5, 50) * MINUTE_MS),
          security: WEAK_SECURITY,
          interactive: true,
        }),
      );
    },
  },
  {
    id: 'session_start_root_user',
    description: 'an SSH session as root (with MFA)',
    plant(day) {
      const user = demoUser('dave');
      const startMs = day.at(user, 14);
      day.emit(
        ...sshSession(day.stamp, {
          actor: user,
          host: hostFor(day.rng, 'prod'),
          login: 'root',
          clientAddr: day.clientAddr(user),
          startMs,
          endMs: day.clamp(startMs + day.rng.int(2, 30) * MINUTE_MS),
          security: { withMfa: user.mfaDevice?.uuid, trustedDevice: user.trustedDevice },
          interactive: true,
        }),
      );
    },
  },
  {
    id: 'old_format_sessions',
    // Teleport's ssh_sessions_with_weak_security (proto = 'ssh') misses it; access_risk's ssh_sessions_without_proto_with_weak_security finds it.
    description: 'a session.start with weak security from an old node: no proto, no server_hostname',
    plant(day) {
      const user = demoUser('grace');
      const startMs = day.at(user, 9);
      day.emit(
        ...sshSession(day.stamp, {
          actor: user,
          host: host('build-04'),
          login: 'ubuntu',
          clientAddr: day.clientAddr(user),
          startMs,
          endMs: day.clamp(startMs + day.rng.int(1, 20) * MINUTE_MS),
          security: WEAK_SECURITY,
          interactive: true,
          oldFormat: true,
        }),
      );
    },
  },
  {
    id: 'database_sessions_with_weak_security',
    description: 'a database session with weak security',
    plant: (day) => plantDbSession(day, 'rupert', 'staging-pg', 'app_ro', true),
  },
  {
    // Teleport's db_postgres_user counts every database session; access_risk's postgres_superuser_sessions this one.
    id: 'db_postgres_user',
    description: 'a Postgres session as the postgres superuser',
    plant: (day) => plantDbSession(day, 'ivan', 'orders-pg', 'postgres', false),
  },
  {
    id: 'db_admin_users',
    description: 'database sessions as built-in admin users: root, sa, admin, rdsadmin (postgres above)',
    plant(day) {
      plantDbSession(day, 'kofi', 'billing-mysql', 'root', false);
      plantDbSession(day, 'marco', 'finance-mssql', 'sa', false);
      plantDbSession(day, 'judy', 'catalog-mongo', 'admin', day.dayNumber % 2 === 0);
      plantDbSession(day, 'lena', 'legacy-mysql', 'rdsadmin', false);
    },
  },
  {
    id: 'kube_access_with_weak_security',
    description: 'Kubernetes API calls with weak security',
    plant(day) {
      const user = demoUser('zoe');
      const cluster = DEMO_KUBE_CLUSTERS.find((c) => c.name === 'dev-k3s')!;
      emitKubeBurst(day, { actor: user, cluster, groups: user.kubeGroups, security: WEAK_SECURITY, startMs: day.at(user, 15), calls: day.rng.int(2, 5) });
    },
  },
  {
    id: 'kube_system_api_calls',
    description: 'Kubernetes API calls as system:masters',
    plant(day) {
      const user = demoUser('frank');
      const cluster = DEMO_KUBE_CLUSTERS.find((c) => c.name === 'prod-eks-us-east-1')!;
      const security = { withMfa: user.mfaDevice?.uuid, trustedDevice: user.trustedDevice };
      emitKubeBurst(day, { actor: user, cluster, groups: ['system:masters'], security, startMs: day.at(user, 16), calls: day.rng.int(2, 4) });
    },
  },
  {
    // Its session.start is Teleport's kube_execs; its exec event access_risk's kube_exec_commands.
    id: 'kube_execs',
    description: 'a kubectl exec with weak security',
    plant(day) {
      const user = demoUser('diego');
      const cluster = DEMO_KUBE_CLUSTERS.find((c) => c.name === 'staging-eks')!;
      const startMs = day.at(user, 13);
      day.emit(
        ...kubeExec(day.stamp, {
          actor: user,
          cluster,
          groups: user.kubeGroups,
          clientAddr: day.clientAddr(user),
          startMs,
          endMs: day.clamp(startMs + day.rng.int(1, 15) * MINUTE_MS),
          security: WEAK_SECURITY,
          namespace: 'checkout',
          ...podIn(day.rng, 'checkout'),
          command: '/bin/sh',
        }),
      );
    },
  },
  {
    id: 'cert_expiration_more_than_1d',
    description: 'user certificates valid for 30 and 3 days',
    plant(day) {
      const hana = demoUser('hana');
      emitLogin(day, hana, day.at(hana, 9), day.clientAddr(hana), 30 * DAY_MS);
      const erin = demoUser('erin');
      day.emit(
        certCreate(day.stamp, {
          actor: erin,
          ms: day.at(erin, 17),
          ttlMs: 3 * DAY_MS,
          clientIp: erin.homeIp,
          roles: erin.roles,
          logins: erin.sshLogins,
          kubernetesGroups: erin.kubeGroups,
          mfaDeviceUuid: erin.mfaDevice?.uuid,
        }),
      );
    },
  },
  {
    id: 'instance_join_token_less_than_1d',
    description: 'an agent joining with a join token valid for 30 days',
    plant(day) {
      const agent = host(`kafka-0${(day.dayNumber % 5) + 1}`);
      day.emit(instanceJoin(day.stamp, { host: agent, ms: day.anyTime(), tokenTtlMs: 30 * DAY_MS }));
    },
  },
  {
    id: 'desktop_sessions_with_weak_security',
    description: 'a Windows desktop session with weak security',
    plant(day) {
      const user = demoUser('uma');
      const startMs = day.at(user, 10);
      day.emit(
        ...desktopSession(day.stamp, {
          actor: user,
          desktop: DEMO_DESKTOPS.find((d) => d.name === 'win-jump-01')!,
          windowsUser: 'Administrator',
          clientAddr: day.clientAddr(user),
          startMs,
          endMs: day.clamp(startMs + day.rng.int(10, 90) * MINUTE_MS),
          security: WEAK_SECURITY,
        }),
      );
    },
  },
  {
    id: 'app_sessions_with_weak_security',
    description: 'an application session with weak security',
    plant(day) {
      const user = demoUser('walter');
      const app = DEMO_APPS.find((a) => a.name === 'grafana')!;
      day.emit(appSession(day.stamp, { actor: user, app, clientAddr: day.clientAddr(user), ms: day.at(user, 12), security: WEAK_SECURITY }));
    },
  },
  {
    id: 'logins_without_mfa',
    description: 'local logins without a second factor',
    plant(day) {
      const walter = demoUser('walter');
      emitLogin(day, walter, day.at(walter, 8));
      const uma = demoUser('uma');
      emitLogin(day, uma, day.at(uma, 8));
    },
  },
  {
    id: 'failed_login_bursts',
    description: '5–8 failed logins within 10 minutes, alternating between two users',
    plant(day) {
      const user = demoUser(day.dayNumber % 2 === 0 ? 'mallory' : 'sybil');
      const clientAddr = `192.0.2.${66 + (day.dayNumber % 3)}:${day.stamp.port()}`;
      let ms = day.at(user, 21);
      const failures = day.rng.int(5, 8);
      for (let i = 0; i < failures; i++) {
        day.emit(
          userLogin(day.stamp, {
            user,
            ms: day.clamp(ms),
            clientAddr,
            userAgent: 'python-requests/2.31.0',
            withMfa: false,
            failure: 'invalid username, password or second factor',
          }),
        );
        // At most 7 gaps of ≤ 60 s: the whole burst fits in 10 minutes.
        ms += day.rng.int(15_000, 60_000);
      }
    },
  },
  {
    id: 'admin_access_requests',
    description: 'access requests for the admin and editor roles',
    plant(day) {
      const niaj = demoUser('niaj');
      emitAccessRequest(day, niaj, ['admin'], demoUser('alice'), day.dayNumber % 2 === 0, day.at(niaj, 15));
      const olivia = demoUser('olivia');
      emitAccessRequest(day, olivia, ['editor'], demoUser('nora'), true, day.at(olivia, 11));
    },
  },
  {
    id: 'self_approved_access_requests',
    description: 'an access request approved by its own requester',
    plant(day) {
      const bob = demoUser('bob');
      emitAccessRequest(day, bob, ['prod-access'], bob, true, day.at(bob, 18));
    },
  },
  {
    id: 'role_changes',
    description: 'roles updated every day, created on even days and deleted on odd days',
    plant(day) {
      const alice = demoUser('alice');
      day.emit(roleChange(day.stamp, 'role.updated', alice, day.rng.pick(['access', 'k8s-admin', 'dba']), day.at(alice, 10), day.clientAddr(alice)));
      const even = day.dayNumber % 2 === 0;
      const role = `contractor-${even ? day.dayNumber : day.dayNumber - 1}`;
      day.emit(roleChange(day.stamp, even ? 'role.created' : 'role.deleted', alice, role, day.at(alice, 16), day.clientAddr(alice)));
    },
  },
  {
    id: 'lock_removals',
    description: 'a lock created and removed the same day',
    plant(day) {
      const nora = demoUser('nora');
      const target = { user: demoUser(day.dayNumber % 2 === 0 ? 'mallory' : 'sybil').name };
      const lockName = day.rng.uuid();
      const ms = day.at(nora, 9);
      day.emit(lockCreated(day.stamp, { actor: nora, lockName, target, ms, message: 'Repeated failed logins' }));
      day.emit(lockDeleted(day.stamp, { actor: nora, lockName, target, ms: day.clamp(ms + day.rng.int(1, 6) * HOUR_MS) }));
    },
  },
  {
    id: 'logins_from_many_ips',
    description: 'one user signing in from seven different addresses in a day',
    plant(day) {
      const user = demoUser('trent');
      for (let i = 0; i < 7; i++) {
        emitLogin(day, user, day.at(user, 8 + i), `192.0.2.${10 + ((day.dayNumber * 7 + i * 13) % 40)}:${day.stamp.port()}`);
      }
    },
  },
  {
    id: 'user_creations',
    description: 'a new user provisioned every third day',
    plant(day) {
      if (day.dayNumber % 3 !== 0) return;
      const alice = demoUser('alice');
      day.emit(
        userCreate(day.stamp, {
          actor: alice,
          name: `intern-${day.dayNumber}@acme.example`,
          roles: ['access'],
          connector: 'local',
          ms: day.at(alice, 11),
          clientAddr: day.clientAddr(alice),
        }),
      );
    },
  },
];

export function plantFindings(day: DemoDay): void {
  for (const finding of PLANTED_FINDINGS) finding.plant(day);
}
