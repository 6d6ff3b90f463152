// One human line per audit event for the drill-down timeline, and whether the event shows MFA.
// Field names are Teleport's (TELEPORT-EVENTS.md §3); anything absent is left out of the line.
import { loginUsedMfa } from '@access-monitor/reports';

type Fields = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
const list = (v: unknown): string | undefined => (Array.isArray(v) && v.length > 0 ? v.map(String).join(', ') : undefined);
const clip = (s: string | undefined, n = 80): string | undefined => (s && s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** Joins the parts that are present: `on`, `as`, … only when followed by a value. */
function line(...parts: Array<string | [string, string | undefined]>): string {
  return parts
    .flatMap((p) => (typeof p === 'string' ? [p] : p[1] === undefined ? [] : [`${p[0]} ${p[1]}`]))
    .join(' ');
}
const host = (e: Fields) => str(e.server_hostname) ?? str(e.server_addr) ?? str(e.server_id);
const failed = (e: Fields) => (e.success === false ? 'failed ' : '');
const isKube = (e: Fields) => e.proto === 'kube' || str(e.kubernetes_cluster) !== undefined;

const SUMMARIES: Record<string, (e: Fields) => string> = {
  'session.start': (e) => (isKube(e) ? line('kube session', ['on', str(e.kubernetes_cluster)], ['pod', str(e.kubernetes_pod_name)]) : line('ssh session', ['on', host(e)], ['as', str(e.login)])),
  'session.join': (e) => line('joined session', ['on', host(e) ?? str(e.kubernetes_cluster)]),
  'session.end': (e) => line('session ended', ['on', host(e) ?? str(e.kubernetes_cluster)]),
  exec: (e) =>
    isKube(e)
      ? line('kube exec', ['in', [str(e.kubernetes_pod_namespace), str(e.kubernetes_pod_name)].filter(Boolean).join('/') || undefined], ['on', str(e.kubernetes_cluster)], [':', clip(str(e.command))]).replace(' : ', ': ')
      : line('exec', ['on', host(e)], ['as', str(e.login)], [':', clip(str(e.command))]).replace(' : ', ': '),
  'kube.request': (e) => line(str(e.verb) ?? 'request', clip(str(e.request_path)) ?? '', ['on', str(e.kubernetes_cluster)], str(e.response_code) ? `(${str(e.response_code)})` : '').trim(),
  'db.session.start': (e) => line(`${failed(e)}db session`, ['to', str(e.db_service)], ['as', str(e.db_user)], ['database', str(e.db_name)]),
  'db.session.end': (e) => line('db session ended', ['on', str(e.db_service)]),
  'db.session.query': (e) => line('db query', ['on', str(e.db_service)], ['as', str(e.db_user)], [':', clip(str(e.db_query))]).replace(' : ', ': '),
  'app.session.start': (e) => line(`${failed(e)}app session`, ['to', str(e.app_name) ?? str(e.public_addr)]),
  'windows.desktop.session.start': (e) => line(`${failed(e)}desktop session`, ['to', str(e.desktop_name) ?? str(e.desktop_addr)], ['as', str(e.windows_user) ?? str(e.login)]),
  'windows.desktop.session.end': (e) => line('desktop session ended', ['on', str(e.desktop_name) ?? str(e.desktop_addr)]),
  'user.login': (e) =>
    e.success === false
      ? line(`login failed (${str(e.method) ?? 'unknown method'})`, [':', clip(str(e.error))]).replace(' : ', ': ')
      : `login (${str(e.method) ?? 'unknown method'})${e.mfa_device ? ' with MFA' : ''}`,
  'cert.create': (e) => {
    const identity = (e.identity ?? {}) as Fields;
    return line(`${str(e.cert_type) ?? ''} certificate issued`.trim(), ['for', str(identity.user)], ['valid until', str(identity.expires)]);
  },
  'role.created': (e) => line('role', str(e.name) ?? '', 'created'),
  'role.updated': (e) => line('role', str(e.name) ?? '', 'updated'),
  'role.deleted': (e) => line('role', str(e.name) ?? '', 'deleted'),
  'user.create': (e) => line('user', str(e.name) ?? '', 'created', ['with roles', list(e.roles)]),
  'user.update': (e) => line('user', str(e.name) ?? '', 'updated', ['with roles', list(e.roles)]),
  'user.delete': (e) => line('user', str(e.name) ?? '', 'deleted'),
  'lock.created': (e) => line('lock', str(e.name) ?? '', 'created', ['on', lockTarget(e)]),
  'lock.deleted': (e) => line('lock', str(e.name) ?? '', 'removed'),
  'access_request.create': (e) => line('access request', ['for', list(e.roles) ?? list(e.resource_names)], str(e.state) ? `(${str(e.state)})` : ''),
  'access_request.review': (e) => line('reviewed access request', str(e.id) ?? '', ['→', str(e.proposed_state) ?? str(e.state)]),
  'access_request.update': (e) => line('access request', str(e.id) ?? '', ['set to', str(e.state)]),
  'instance.join': (e) => line(`${failed(e)}instance joined`.trim(), ['as', str(e.node_name) ?? str(e.host_id)], ['role', str(e.role)], ['method', str(e.method)]),
  'mfa.add': (e) => line('MFA device', str(e.mfa_device_name) ?? '', 'added'),
  'mfa.delete': (e) => line('MFA device', str(e.mfa_device_name) ?? '', 'removed'),
};

function lockTarget(e: Fields): string | undefined {
  const target = ((e.lock as Fields | undefined)?.target ?? e.target) as Fields | undefined;
  if (!target) return undefined;
  return Object.entries(target)
    .filter(([, v]) => str(v) !== undefined)
    .map(([k, v]) => `${k} ${str(v)}`)
    .join(', ') || undefined;
}

/** Event types whose events say whether per-session MFA was used (`with_mfa`). */
const WITH_MFA = new Set(['session.start', 'exec', 'kube.request', 'db.session.start', 'app.session.start', 'windows.desktop.session.start']);

export function summarizeEvent(eventType: string, e: Fields): { summary: string; mfa: boolean | null } {
  const summarize = SUMMARIES[eventType];
  const summary = (summarize ? summarize(e) : '').replace(/\s+/g, ' ').trim() || eventType;
  let mfa: boolean | null = null;
  if (WITH_MFA.has(eventType)) mfa = str(e.with_mfa) !== undefined;
  else if (eventType === 'user.login') mfa = loginUsedMfa({ success: e.success !== false, method: str(e.method), mfaDeviceUuid: str((e.mfa_device as Fields | undefined)?.mfa_device_uuid) });
  else if (eventType === 'cert.create') mfa = str((e.identity as Fields | undefined)?.mfa_device_uuid) !== undefined;
  return { summary, mfa };
}
