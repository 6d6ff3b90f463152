import type { AuditEvent } from '@access-monitor/audit-log';

let uid = 0;

/**
 * A Teleport `session.start` (T2000I) as a root SSH session with weak security: no access request,
 * per-session MFA, impersonator or trusted device, so the privilege access report finds it. `extra`
 * overrides fields (a host name, `with_mfa` to make it strong).
 */
export const weakSshSession = (user: string, time: string, extra: Record<string, unknown> = {}): AuditEvent => ({
  ei: 0,
  event: 'session.start',
  uid: `00000000-0000-4000-8000-${String(++uid).padStart(12, '0')}`,
  code: 'T2000I',
  time,
  cluster_name: 'acme.teleport.sh',
  user,
  sid: `s-${uid}`,
  login: 'root',
  server_hostname: 'web-01',
  server_id: 'srv-1',
  proto: 'ssh',
  'addr.remote': '198.51.100.20:53124',
  ...extra,
});
