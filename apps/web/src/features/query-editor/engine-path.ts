import type { Execution } from '@access-monitor/contracts';

/**
 * How the embedded engine read the event views, in words: the typed event store (built from the audit log at
 * import), JSON extraction from the source files (days not built yet), or both. Undefined when the engine
 * does not say (Athena, or a statement reading no view).
 */
export function enginePathLabel(execution: Pick<Execution, 'enginePath'>): { label: string; title: string } | undefined {
  const p = execution.enginePath;
  if (!p || p.typedDays + p.jsonDays === 0) return undefined;
  const days = (n: number): string => `${n} ${n === 1 ? 'day' : 'days'}`;
  if (p.jsonDays === 0) return { label: 'Typed store', title: `All ${days(p.typedDays)} of the window were read from the typed event store` };
  if (p.typedDays === 0) return { label: 'JSON', title: `All ${days(p.jsonDays)} were read by extracting fields from each event's JSON (the typed event store does not cover them yet)` };
  return { label: `Typed store + JSON`, title: `${days(p.typedDays)} from the typed event store, ${days(p.jsonDays)} by JSON extraction (not built yet)` };
}
