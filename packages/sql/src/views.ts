import type { AuditSchema } from '@access-monitor/contracts';
import { ACCESS_LIST_VIEWS } from './catalog/access-list-events';
import { ACCESS_REQUEST_VIEWS } from './catalog/access-request-events';
import { APP_VIEWS } from './catalog/app-events';
import { DATABASE_VIEWS } from './catalog/database-events';
import { DESKTOP_VIEWS } from './catalog/desktop-events';
import { DEVICE_TRUST_VIEWS } from './catalog/device-trust-events';
import { FILE_TRANSFER_VIEWS } from './catalog/file-transfer-events';
import { IDENTITY_VIEWS } from './catalog/identity-events';
import { KUBE_VIEWS } from './catalog/kube-events';
import { RESOURCE_VIEWS } from './catalog/resource-events';
import { SSH_SESSION_VIEWS } from './catalog/ssh-session-events';
import { COMPAT_FUNCTIONS } from './compat';
import type { ColumnType, FieldDefinition, ViewDefinition } from './types';

export { viewNameForEventType } from './catalog/view-definition';

/** The audit table itself, readable as a view of the window. */
export const AUDIT_EVENTS = 'audit_events';

/** One view per Teleport event type, as Teleport's Access Monitoring defines them. */
export const VIEWS: readonly ViewDefinition[] = [
  ...SSH_SESSION_VIEWS,
  ...DATABASE_VIEWS,
  ...APP_VIEWS,
  ...DESKTOP_VIEWS,
  ...KUBE_VIEWS,
  ...IDENTITY_VIEWS,
  ...ACCESS_REQUEST_VIEWS,
  ...ACCESS_LIST_VIEWS,
  ...DEVICE_TRUST_VIEWS,
  ...RESOURCE_VIEWS,
  ...FILE_TRANSFER_VIEWS,
];

/** Columns of `audit_events` (Teleport's Athena table), in table order. */
export const AUDIT_EVENTS_COLUMNS = [
  { name: 'uid', type: 'varchar', description: 'Event ID' },
  { name: 'session_id', type: 'varchar', description: 'Session ID (sid) of the event; may be empty' },
  { name: 'event_type', type: 'varchar', description: 'Event type: session.start, user.login, …' },
  { name: 'event_time', type: 'timestamp', description: 'Event time (UTC)' },
  { name: 'event_data', type: 'varchar', description: "The whole event as Teleport's JSON" },
  { name: 'user', type: 'varchar', description: 'Teleport user; quote it: "user"' },
  { name: 'event_date', type: 'date', description: 'UTC day of the event (partition)' },
] as const;

/** Column name of a field: JSON path joined with `_`, dots inside keys too (`addr.remote` → `addr_remote`). Lower case, as Trino reports it. */
export function columnName(field: FieldDefinition): string {
  return field.path.map((key) => key.replaceAll('.', '_')).join('_').toLowerCase();
}

/** A column type in Athena's spelling: `array(row(cluster varchar, …))`. */
export function columnTypeName(type: ColumnType): string {
  if (typeof type === 'string') return type;
  return `array(row(${type.row.map((f) => `${f.name} ${f.type}`).join(', ')}))`;
}

/** The view of an event type, or undefined. */
export function viewByName(name: string): ViewDefinition | undefined {
  return VIEW_BY_NAME.get(name.toLowerCase());
}
const VIEW_BY_NAME = new Map(VIEWS.map((v) => [v.name, v]));

/** What `GET /api/v1/schema`, autocomplete and the schema panel show. */
export function auditSchema(): AuditSchema {
  return {
    views: [
      { name: AUDIT_EVENTS, description: 'Every audit event of the window, one row per event', columns: AUDIT_EVENTS_COLUMNS.map((c) => ({ ...c })) },
      ...VIEWS.map((v) => ({
        name: v.name,
        eventType: v.eventType,
        description: v.description,
        columns: [
          { name: 'event_date', type: 'date', description: 'UTC day of the event' },
          { name: 'event_time', type: 'timestamp', description: 'Event time (UTC)' },
          ...v.fields.map((f) => ({ name: columnName(f), type: columnTypeName(f.type), ...(f.description ? { description: f.description } : {}) })),
        ],
      })),
    ],
    functions: COMPAT_FUNCTIONS.map((f) => ({ ...f })),
  };
}
