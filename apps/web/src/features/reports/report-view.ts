import { isoInstant } from '../../components/time-format';
import { paths } from '../../lib/paths';
import { SESSION_ID_COLUMNS } from '../../lib/session-player';
import { SEVERITIES, type ReportSummary, type ReportWindowState, type RunQueryResult, type Severity, type WindowDays } from '@access-monitor/contracts';

/** Most urgent first, as the summary and the cards list them. */
export const SEVERITY_ORDER: readonly Severity[] = [...SEVERITIES].reverse();

/** The report's state for one window; a window the server did not list has never run. */
export function windowState(report: ReportSummary, days: WindowDays): ReportWindowState {
  return report.states.find((s) => s.days === days) ?? { report: report.name, days, state: 'NEVER_RUN' };
}

/**
 * The run whose findings the report page shows: the one that just finished when READY, else the newest
 * READY one (still shown while a refresh runs or after one failed), else none.
 */
export function runToShow(state: ReportWindowState): string | undefined {
  if (state.state === 'READY') return state.runId ?? state.lastReadyRunId;
  return state.lastReadyRunId;
}

export interface SeverityCount {
  severity: Severity;
  /** Findings of this severity with at least one open (untriaged) row. */
  findings: number;
  /** Their open rows (one per offending event). */
  rows: number;
  /** Audit queries of this severity that failed: unknown, never counted as zero. */
  failed: number;
}

/** Rows of a finding still open: triaged rows (accepted risks, false positives) do not count. */
export const openRows = (q: Pick<RunQueryResult, 'rowCount' | 'openRowCount'>): number => q.openRowCount ?? q.rowCount ?? 0;

/** Per severity, most urgent first: how many findings have open rows, how many open rows, and how many queries failed. */
export function severitySummary(queries: readonly Pick<RunQueryResult, 'severity' | 'state' | 'rowCount' | 'openRowCount'>[]): SeverityCount[] {
  return SEVERITY_ORDER.map((severity) => {
    const ofSeverity = queries.filter((q) => q.severity === severity);
    const succeeded = ofSeverity.filter((q) => q.state === 'SUCCEEDED');
    return {
      severity,
      findings: succeeded.filter((q) => openRows(q) > 0).length,
      rows: succeeded.reduce((sum, q) => sum + openRows(q), 0),
      failed: ofSeverity.length - succeeded.length,
    };
  });
}

/** Findings most urgent first, then most rows first; failed queries lead their severity so they are not missed. */
export function orderFindings<T extends Pick<RunQueryResult, 'severity' | 'state' | 'rowCount'>>(queries: readonly T[]): T[] {
  const rank = (q: T) => SEVERITY_ORDER.indexOf(q.severity);
  const weight = (q: T) => (q.state === 'FAILED' ? Number.POSITIVE_INFINITY : (q.rowCount ?? 0));
  return [...queries].sort((a, b) => rank(a) - rank(b) || weight(b) - weight(a));
}

/** Detail columns naming a Teleport session: `sid` in session events, `session_id` in others. */
/** The report window a finding row came from: its drill-down covers the same days. */
export interface DrillWindow {
  days: number;
  end: string;
}

/**
 * Where a cell of a finding row leads: a `user` to that user's timeline, a session id to that session's; else nowhere.
 * `at` (the row's event time) opens the timeline on that event.
 */
export function drillDownPath(column: string, value: unknown, window: DrillWindow, at?: string): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const event = at !== undefined ? { at } : {};
  if (column === 'user') return paths.timeline({ user: value, ...window, ...event });
  if (SESSION_ID_COLUMNS.includes(column)) return paths.timeline({ session: value, ...window, ...event });
  return undefined;
}

/** A finding row's event time (its `event_time` column) as ISO 8601 with Z, for `at=`; undefined when it has none. */
export function rowEventTime(columns: readonly { name: string }[], row: readonly unknown[]): string | undefined {
  const value = row[columns.findIndex((c) => c.name === 'event_time')];
  const at = typeof value === 'string' ? isoInstant(value) : undefined;
  return at !== undefined && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(at) ? at : undefined;
}

/** `?page=` (1-based); anything but a positive whole number is the first page. */
export function parsePage(value: string | null): number {
  const n = value !== null && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
}

/** Which finding's rows are open (`?rows=<query id>`) and at which page. */
export interface OpenRows {
  queryId: string | undefined;
  page: number;
}

export function parseOpenRows(params: URLSearchParams): OpenRows {
  const queryId = params.get('rows') || undefined;
  return { queryId, page: queryId ? parsePage(params.get('page')) : 1 };
}

/** Recommendation text with `backticked` settings and commands split out, so they render as code. */
export function splitInlineCode(text: string): { code: boolean; text: string }[] {
  const parts: { code: boolean; text: string }[] = [];
  text.split('`').forEach((segment, i, all) => {
    // An unmatched trailing backtick stays literal text.
    const code = i % 2 === 1 && i < all.length - 1;
    if (segment === '' && !code) return;
    if (!code && i % 2 === 1) parts.push({ code: false, text: `\`${segment}` });
    else parts.push({ code, text: segment });
  });
  return parts;
}
