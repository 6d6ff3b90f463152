import type { Completion } from '@codemirror/autocomplete';
import type { SQLNamespace } from '@codemirror/lang-sql';
import type { AuditSchema } from '@access-monitor/contracts';

/**
 * The schema as lang-sql's namespace: views (`session_start`, detail: the event type) with their columns (detail: the
 * type), so `FROM ses…` completes a view and `session_start.` its columns.
 */
export function schemaNamespace(schema: AuditSchema): SQLNamespace {
  return Object.fromEntries(
    schema.views.map((view) => [
      view.name,
      {
        self: { label: view.name, type: 'type', detail: view.eventType ?? 'all events', info: view.description },
        children: view.columns.map((c) => columnCompletion(c)),
      },
    ]),
  );
}

const columnCompletion = (c: AuditSchema['views'][number]['columns'][number], view?: string): Completion => ({
  label: c.name,
  type: 'property',
  detail: c.type,
  ...(c.description || view ? { info: [view ? `${view}.${c.name}` : undefined, c.description].filter(Boolean).join(': ') } : {}),
  // Below views and keywords of the same prefix: a column name is usually typed after its view.
  boost: -1,
});

/** The compatibility functions (`from_iso8601_timestamp`, `regexp_like`, …): detail is the signature. */
export function functionCompletions(schema: AuditSchema): Completion[] {
  return schema.functions.map((f) => ({ label: f.name, type: 'function', detail: f.signature.slice(f.name.length), info: f.description, apply: `${f.name}(` }));
}

/**
 * Unqualified columns of the views the statement names (`SELECT login FROM session_start`), each once; lang-sql only
 * completes columns after `view.`.
 */
export function columnsInScope(schema: AuditSchema, sql: string): Completion[] {
  const words = new Set(sql.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? []);
  const seen = new Set<string>();
  const out: Completion[] = [];
  for (const view of schema.views) {
    if (!words.has(view.name)) continue;
    for (const c of view.columns) {
      if (seen.has(c.name)) continue;
      seen.add(c.name);
      out.push(columnCompletion(c, view.name));
    }
  }
  return out;
}
