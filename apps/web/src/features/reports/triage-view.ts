import type { Cell, ColumnInfo, FindingEntity, Problem, RunQueryResult, TriageRecord, TriageStatus } from '@access-monitor/contracts';

/** How far ahead an accepted risk is offered to expire; the server refuses more than its configured maximum. */
export const DEFAULT_ACCEPT_DAYS = 30;

const DAY_MS = 86_400_000;

export const TRIAGE_STATUS_LABELS: Record<TriageStatus, string> = {
  accepted_risk: 'Accepted risk',
  false_positive: 'False positive',
  open: 'Reopened',
};

/** A UTC calendar day `days` after `now` (the server's expiry days are UTC days). */
export const utcDayAfter = (now: Date, days: number): string => new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10);

/** A row's entity (the values of the finding's entity columns, as text), or undefined when a column is not in the page. */
export function entityOfRow(columns: readonly ColumnInfo[], row: readonly Cell[], entityColumns: readonly string[]): FindingEntity | undefined {
  const at = entityColumns.map((name) => columns.findIndex((c) => c.name === name));
  if (at.some((i) => i < 0)) return undefined;
  return Object.fromEntries(entityColumns.map((name, k) => [name, textOf(row[at[k]!] ?? null)]));
}

const textOf = (value: Cell): string | null => (value === null ? null : String(value));

/** `user alice, db_service pg-prod`: an entity as a person reads it. */
export const describeEntity = (entity: FindingEntity): string =>
  Object.entries(entity)
    .map(([column, value]) => `${column} ${value ?? 'NULL'}`)
    .join(', ');

/** The badge of a triaged row: `Accepted risk until 2026-12-31 — reason`, `False positive — reason`. */
export function triageBadgeText(record: Pick<TriageRecord, 'status' | 'expires' | 'reason'>): string {
  const status = record.status === 'accepted_risk' && record.expires ? `Accepted risk until ${record.expires}` : TRIAGE_STATUS_LABELS[record.status];
  return `${status} — ${record.reason}`;
}

/** The badge's tooltip: the whole reason, who marked it and when (UTC). */
export function triageTooltip(record: Pick<TriageRecord, 'status' | 'expires' | 'reason' | 'savedBy' | 'savedAt' | 'entity'>): string {
  const until = record.status === 'accepted_risk' ? ` It counts as open again from the day after ${record.expires} (UTC).` : '';
  return `${triageBadgeText(record)}\nMarked by ${record.savedBy} on ${record.savedAt.slice(0, 16).replace('T', ' ')} UTC for ${describeEntity(record.entity)}.${until}`;
}

/** A finding's open and triaged rows, when the server counted triage and something is triaged. */
export function triagedCounts(finding: Pick<RunQueryResult, 'openRowCount' | 'triagedRowCount'>): { open: number; triaged: number } | undefined {
  if (finding.openRowCount === undefined || !finding.triagedRowCount) return undefined;
  return { open: finding.openRowCount, triaged: finding.triagedRowCount };
}

/** What a refused triage says about one field (`expires`: the latest day allowed), from the problem's per-field errors. */
export function fieldProblem(problem: Pick<Problem, 'errors'> | undefined, field: string): string | undefined {
  return problem?.errors?.find((e) => e.path === field)?.message;
}
