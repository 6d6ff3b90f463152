import { describe, expect, it } from 'vitest';
import type { AuditSchema } from '@access-monitor/contracts';
import { columnsInScope, functionCompletions, schemaNamespace } from './sql-completions';

const schema: AuditSchema = {
  views: [
    {
      name: 'session_start',
      eventType: 'session.start',
      description: 'SSH sessions started',
      columns: [
        { name: 'event_time', type: 'timestamp' },
        { name: 'login', type: 'varchar', description: 'OS login' },
      ],
    },
    { name: 'user_login', eventType: 'user.login', description: 'Logins', columns: [{ name: 'event_time', type: 'timestamp' }, { name: 'success', type: 'boolean' }] },
  ],
  functions: [{ name: 'regexp_like', signature: 'regexp_like(string, pattern) → boolean', description: 'Whether the pattern matches' }],
};

describe('SQL completions from GET /schema', () => {
  it('offers each view with its event type, and its columns with their types', () => {
    const ns = schemaNamespace(schema) as Record<string, { self: { label: string; detail: string }; children: Array<{ label: string; detail: string }> }>;
    expect(ns.session_start!.self).toMatchObject({ label: 'session_start', detail: 'session.start' });
    expect(ns.session_start!.children.map((c) => [c.label, c.detail])).toEqual([
      ['event_time', 'timestamp'],
      ['login', 'varchar'],
    ]);
  });

  it('offers the compatibility functions with their signatures, opening the argument list', () => {
    expect(functionCompletions(schema)).toEqual([
      { label: 'regexp_like', type: 'function', detail: '(string, pattern) → boolean', info: 'Whether the pattern matches', apply: 'regexp_like(' },
    ]);
  });

  it('offers unqualified columns only of the views the statement names, each once', () => {
    expect(columnsInScope(schema, 'SELECT  FROM session_start').map((c) => c.label)).toEqual(['event_time', 'login']);
    expect(columnsInScope(schema, 'SELECT * FROM session_start s JOIN user_login u ON true').map((c) => c.label)).toEqual(['event_time', 'login', 'success']);
    expect(columnsInScope(schema, 'SELECT 1')).toEqual([]);
  });
});
