import type { FieldDefinition, ViewDefinition } from '../types';

/** View name Teleport uses for an event type: `.` → `_` (`db.session.start` → `db_session_start`); `-` too, so `x11-forward` needs no quotes. */
export function viewNameForEventType(eventType: string): string {
  return eventType.replaceAll('.', '_').replaceAll('-', '_');
}

export function event(eventType: string, description: string, fields: FieldDefinition[]): ViewDefinition {
  return { name: viewNameForEventType(eventType), eventType, description, fields };
}
