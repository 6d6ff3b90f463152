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

  it("uses Teleport's types: varchar timestamps, bigint counters, arrays, maps, rows", () => {
    const type = (view: string, column: string) => viewByName(view)!.fields.find((f) => columnName(f) === column)?.type;
    expect(type('cert_create', 'identity_expires')).toBe('varchar');
    expect(type('session_end', 'session_start')).toBe('varchar');
    expect(type('session_data', 'tx')).toBe('bigint');
    expect(type('session_command', 'pid')).toBe('bigint');
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
