import { AuditSchema } from '@access-monitor/contracts';
import { describe, expect, it } from 'vitest';
import { COMPAT_FUNCTIONS } from './compat';
import { auditSchema, columnName, viewByName, viewNameForEventType, VIEWS } from './views';

const columnsOf = (view: string) => viewByName(view)!.fields.map(columnName);

describe('the view catalog', () => {
  it('names views after event types with dots as underscores', () => {
    expect(viewNameForEventType('session.start')).toBe('session_start');
    expect(viewNameForEventType('db.session.start')).toBe('db_session_start');
    expect(viewNameForEventType('windows.desktop.session.start')).toBe('windows_desktop_session_start');
    expect(viewNameForEventType('exec')).toBe('exec');
    expect(viewNameForEventType('x11-forward')).toBe('x11_forward');
    for (const view of VIEWS) expect(view.name).toBe(viewNameForEventType(view.eventType));
  });

  it('has a view for every event type Teleport documents in TELEPORT-EVENTS.md §3', () => {
    const eventTypes = VIEWS.map((v) => v.eventType);
    expect(new Set(eventTypes).size).toBe(eventTypes.length);
    for (const type of [
      'session.start', 'session.end', 'session.join', 'session.leave', 'resize', 'session.data', 'session.command', 'session.disk', 'session.network', 'exec',
      'db.session.start', 'db.session.end', 'db.session.query', 'db.session.query.failed', 'app.session.start', 'app.session.end', 'app.session.chunk',
      'windows.desktop.session.start', 'windows.desktop.session.end', 'kube.request', 'user.login', 'auth', 'cert.create',
      'access_request.create', 'access_request.update', 'access_request.review', 'access_request.delete', 'access_request.search', 'access_request.expire',
      'role.created', 'role.updated', 'role.deleted', 'user.create', 'user.update', 'user.delete', 'user.password_change', 'lock.created', 'lock.deleted',
      'mfa.add', 'mfa.delete', 'bot.join', 'instance.join', 'join_token.create', 'port', 'scp', 'sftp',
    ]) {
      expect(eventTypes).toContain(type);
    }
  });

  it('flattens keys with dots and nested objects into underscore column names', () => {
    expect(columnsOf('session_start')).toEqual(expect.arrayContaining(['addr_remote', 'addr_local', 'trusted_device_device_id', 'with_mfa', 'access_requests', 'server_labels', 'proto', 'login', 'user']));
    expect(columnsOf('cert_create')).toEqual(expect.arrayContaining(['identity_expires', 'identity_mfa_device_uuid', 'identity_route_to_database_service_name', 'certificate_authority_domain']));
    expect(columnsOf('user_login')).toEqual(expect.arrayContaining(['mfa_device_mfa_device_uuid', 'mfa_device_mfa_device_name', 'mfa_device_mfa_device_type']));
    expect(columnsOf('mfa_add')).toEqual(expect.arrayContaining(['mfa_device_uuid', 'mfa_device_name', 'mfa_device_type']));
    expect(columnsOf('lock_created')).toEqual(expect.arrayContaining(['lock_target_user', 'target_user']));
    expect(columnsOf('exec')).toEqual(expect.arrayContaining(['exitcode', 'exiterror', 'command', 'kubernetes_cluster']));
  });

  it('has the columns every built-in report query reads', () => {
    const weakSecurity = ['access_requests', 'with_mfa', 'impersonator', 'trusted_device_device_id', 'user'];
    for (const view of ['db_session_start', 'session_start', 'kube_request', 'exec', 'windows_desktop_session_start']) {
      expect(columnsOf(view), view).toEqual(expect.arrayContaining(weakSecurity));
    }
    expect(columnsOf('session_start')).toEqual(expect.arrayContaining(['proto', 'login']));
    expect(columnsOf('exec')).toContain('proto');
    expect(columnsOf('db_session_start')).toEqual(expect.arrayContaining(['db_protocol', 'db_user']));
    expect(columnsOf('kube_request')).toContain('kubernetes_groups');
    expect(columnsOf('cert_create')).toEqual(expect.arrayContaining(['identity_expires', 'time', 'identity_user']));
    expect(columnsOf('instance_join')).toEqual(expect.arrayContaining(['token_expires', 'time']));
  });

  it('never repeats a column within a view, nor shadows event_date/event_time', () => {
    for (const view of VIEWS) {
      const names = view.fields.map(columnName);
      expect(new Set(names).size, view.name).toBe(names.length);
      expect(names, view.name).not.toContain('event_date');
      expect(names, view.name).not.toContain('event_time');
      for (const name of names) expect(name, view.name).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });

  it("uses Teleport's types: varchar timestamps, integers, bigint only past 2^31, arrays, maps, rows", () => {
    const type = (view: string, column: string) => viewByName(view)!.fields.find((f) => columnName(f) === column)?.type;
    expect(type('cert_create', 'identity_expires')).toBe('varchar');
    expect(type('session_end', 'session_start')).toBe('varchar');
    expect(type('session_data', 'tx')).toBe('bigint');
    expect(type('session_data', 'ei')).toBe('integer');
    expect(type('session_command', 'pid')).toBe('integer');
    expect(type('session_command', 'ppid')).toBe('integer');
    expect(type('db_session_start', 'postgres_pid')).toBe('integer');
    expect(type('sftp', 'attributes_file_size')).toBe('bigint');
    expect(type('kube_request', 'response_code')).toBe('integer');
    expect(type('user_login', 'success')).toBe('boolean');
    expect(type('session_start', 'access_requests')).toBe('array(varchar)');
    expect(type('session_start', 'server_labels')).toBe('map(varchar,varchar)');
    expect(type('access_request_create', 'resource_ids')).toEqual({
      array: true,
      row: [
        { name: 'cluster', type: 'varchar' },
        { name: 'kind', type: 'varchar' },
        { name: 'name', type: 'varchar' },
        { name: 'sub_resource', type: 'varchar' },
      ],
    });
  });
});

// Teleport's columns for the views its Access Monitoring defines over access lists, Device Trust, reset
// tokens and its SAML IdP, as OSS Teleport's generated event schema lists them (gen/go/eventschema
// zz_generated.eventschema.go: AccessListCreate/Update/Delete, AccessListMember*, DeviceEvent2, UserTokenCreate,
// SAMLIdPAuthAttempt), typed the way its views cast them (string → varchar, integer → integer, objects flattened).
const V = 'varchar';
const TRUSTED_DEVICE = { trusted_device_asset_tag: V, trusted_device_credential_id: V, trusted_device_device_id: V, trusted_device_device_origin: 'integer', trusted_device_os_type: 'integer' };
const USER_METADATA = { access_requests: 'array(varchar)', aws_role_arn: V, azure_identity: V, gcp_service_account: V, impersonator: V, login: V, required_private_key_policy: V, user: V, ...TRUSTED_DEVICE };
const METADATA = { cluster_name: V, code: V, ei: 'integer', event: V, time: V, uid: V };
const RESOURCE = { expires: V, name: V, ttl: V, updated_by: V };
const STATUS = { error: V, message: V, success: 'boolean' };
const ACCESS_LIST = { ...METADATA, ...RESOURCE, ...STATUS };
const ACCESS_LIST_MEMBERS = { ...ACCESS_LIST, access_list_name: V, members: 'array(row(joined_on varchar, member_name varchar, reason varchar, removed_on varchar))' };
const DEVICE = { ...METADATA, ...USER_METADATA, ...STATUS, device_asset_tag: V, device_credential_id: V, device_device_id: V, device_device_origin: 'integer', device_os_type: 'integer' };
const TELEPORT_VIEWS: Record<string, { eventType: string; columns: Record<string, string> }> = {
  access_list_create: { eventType: 'access_list.create', columns: ACCESS_LIST },
  access_list_update: { eventType: 'access_list.update', columns: ACCESS_LIST },
  access_list_delete: { eventType: 'access_list.delete', columns: ACCESS_LIST },
  access_list_member_create: { eventType: 'access_list.member.create', columns: ACCESS_LIST_MEMBERS },
  access_list_member_update: { eventType: 'access_list.member.update', columns: ACCESS_LIST_MEMBERS },
  access_list_member_delete: { eventType: 'access_list.member.delete', columns: ACCESS_LIST_MEMBERS },
  access_list_member_delete_all_for_access_list: { eventType: 'access_list.member.delete_all_for_access_list', columns: ACCESS_LIST_MEMBERS },
  device_authenticate: { eventType: 'device.authenticate', columns: DEVICE },
  device_enroll: { eventType: 'device.enroll', columns: DEVICE },
  reset_password_token_create: { eventType: 'reset_password_token.create', columns: { ...METADATA, ...RESOURCE, ...USER_METADATA } },
  saml_idp_auth: {
    eventType: 'saml.idp.auth',
    columns: { ...METADATA, ...USER_METADATA, ...STATUS, private_key_policy: V, service_provider_entity_id: V, service_provider_shortcut: V, sid: V, with_mfa: V },
  },
};

describe("Teleport's views over access lists, Device Trust, reset tokens and the SAML IdP", () => {
  const schema = auditSchema();

  it.each(Object.entries(TELEPORT_VIEWS))('%s has every column of Teleport\'s view, typed as Teleport types it', (name, { eventType, columns }) => {
    const view = schema.views.find((v) => v.name === name);
    expect(view?.eventType).toBe(eventType);
    const types = Object.fromEntries(view!.columns.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({ event_date: 'date', event_time: 'timestamp', ...columns });
  });

  it('reads each column from the JSON path Teleport reads it from', () => {
    const path = (view: string, column: string) => viewByName(view)!.fields.find((f) => columnName(f) === column)?.path;
    expect(path('access_list_member_create', 'members')).toEqual(['members']);
    expect(path('access_list_member_create', 'access_list_name')).toEqual(['access_list_name']);
    expect(path('device_enroll', 'device_device_id')).toEqual(['device', 'device_id']);
    expect(path('device_authenticate', 'trusted_device_device_id')).toEqual(['trusted_device', 'device_id']);
    expect(path('saml_idp_auth', 'service_provider_entity_id')).toEqual(['service_provider_entity_id']);
  });
});

describe("label columns in Teleport's shape", () => {
  const labelled = VIEWS.flatMap((v) => v.fields.filter((f) => f.type === 'map(varchar,varchar)').map((f) => [v, f] as const));

  it('are offered beside every labels map', () => {
    expect(labelled.map(([, f]) => columnName(f))).toEqual(expect.arrayContaining(['server_labels', 'kubernetes_labels', 'db_labels', 'app_labels', 'desktop_labels']));
    for (const [view, map] of labelled) {
      const name = columnName(map);
      for (const key of ['key', 'value']) {
        const column = view.fields.find((f) => columnName(f) === `${name}_${key}`);
        // Teleport's eventschema calls a map an object {key, value} and its views flatten it: $["server_labels"]["key"].
        expect(column, `${view.name}.${name}_${key}`).toMatchObject({ path: [...map.path, key], type: 'varchar' });
        expect(column!.description).toContain(`label named "${key}"`);
      }
    }
  });

  it('appear in the schema as varchar, after the map', () => {
    const columns = auditSchema().views.find((v) => v.name === 'session_start')!.columns.map((c) => `${c.name} ${c.type}`);
    const at = columns.indexOf('server_labels map(varchar,varchar)');
    expect(at).toBeGreaterThan(0);
    expect(columns.slice(at, at + 3)).toEqual(['server_labels map(varchar,varchar)', 'server_labels_key varchar', 'server_labels_value varchar']);
  });
});

describe('integer columns', () => {
  it("are integer in every view, as Teleport's eventschema types them, except counters past 2^31", () => {
    // Teleport says integer for these too; their values pass 2^31 - 1, where Trino's cast would fail the query.
    const keptBigint = new Set(['tx', 'rx', 'cgroup_id', 'audit_session_id', 'attributes_file_size', 'attributes_uid', 'attributes_gid']);
    for (const view of VIEWS) {
      expect(view.fields.find((f) => columnName(f) === 'ei')?.type, view.name).toBe('integer');
      for (const f of view.fields.filter((f) => f.type === 'bigint')) expect(keptBigint, `${view.name}.${columnName(f)}`).toContain(columnName(f));
    }
  });
});

describe('auditSchema', () => {
  const schema = auditSchema();

  it('is a valid AuditSchema', () => {
    expect(AuditSchema.safeParse(schema).success).toBe(true);
  });

  it('lists audit_events with the Athena table columns first', () => {
    expect(schema.views[0]).toMatchObject({ name: 'audit_events' });
    expect(schema.views[0]!.columns.map((c) => [c.name, c.type])).toEqual([
      ['uid', 'varchar'],
      ['session_id', 'varchar'],
      ['event_type', 'varchar'],
      ['event_time', 'timestamp'],
      ['event_data', 'varchar'],
      ['user', 'varchar'],
      ['event_date', 'date'],
    ]);
  });

  it('lists every view with event_date and event_time first and typed columns', () => {
    expect(schema.views).toHaveLength(VIEWS.length + 1);
    const accessRequest = schema.views.find((v) => v.name === 'access_request_create')!;
    expect(accessRequest.eventType).toBe('access_request.create');
    expect(accessRequest.columns.slice(0, 2)).toEqual([
      { name: 'event_date', type: 'date', description: 'UTC day of the event' },
      { name: 'event_time', type: 'timestamp', description: 'Event time (UTC)' },
    ]);
    expect(accessRequest.columns.find((c) => c.name === 'resource_ids')?.type).toBe('array(row(cluster varchar, kind varchar, name varchar, sub_resource varchar))');
  });

  it('lists the compatibility functions', () => {
    expect(schema.functions).toEqual(COMPAT_FUNCTIONS);
  });
});
