import { randomBytes } from 'node:crypto';
import { windowEndingOn, type DateWindow, type ReportRun, type RunQueryResult } from '@access-monitor/contracts';
import type { SecurityReport } from '@access-monitor/reports';
import { serviceCaller } from '../executions/executions-service';
import { dataCompleteness } from './data-completeness';
import { mapBounded } from './map-bounded';
import { withPreviousCompleteness } from './period-diff';
import { problemOf, runFinding, type FindingDeps } from './run-finding';

/** Teleport runs at most this many of a report's queries at once. */
export const MAX_PARALLEL_QUERIES = 4;

const DAY_MS = 86_400_000;

export interface RunReportDeps extends FindingDeps {
  now: () => Date;
}

/** Which run this is: its id (see newRunId), window and who asked. */
export interface RunPlan {
  id: string;
  days: number;
  window: DateWindow;
  startedAt: string;
  startedBy?: string | undefined;
  /**
   * What each query's finding cost last time (ms, by query id; see runFinding's onCost): the costliest start
   * first, so the run is not left waiting on a big finding started last. Without a figure a finding counts as costly.
   */
  lastCostMs?: ReadonlyMap<string, number> | undefined;
}

/** The indexes of the report's queries in the order they start: costliest expected first, ties and unknowns in the report's order. */
export function startOrder(queries: ReadonlyArray<{ id: string }>, lastCostMs: ReadonlyMap<string, number> | undefined): number[] {
  const indexes = queries.map((_, i) => i);
  if (!lastCostMs) return indexes;
  const cost = (i: number): number => lastCostMs.get(queries[i]!.id) ?? Number.POSITIVE_INFINITY;
  return indexes.sort((a, b) => cost(b) - cost(a) || a - b);
}

/** A run id: sortable by start time, unguessable, without a dot (result reader ids are `<runId>.<queryId>`). */
export function newRunId(now: Date): string {
  return `r${now.toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(6).toString('hex')}`;
}

/**
 * Runs a report for a window, for the server and the CLI alike: every finding (bounded parallelism, each
 * stored as `runs/<runId>/<query>.csv`) and the data completeness, all through the executions service under
 * the report-run service identity. A failed query is recorded in the run, not thrown; the run is not recorded.
 */
export async function runReport(
  deps: RunReportDeps,
  report: SecurityReport,
  plan: RunPlan,
  /** After each finding: how many are done, and what this one cost (for the next run's lastCostMs) when it succeeded. */
  onFinding?: (done: number, finding: { id: string; costMs?: number }) => void,
): Promise<ReportRun> {
  const { executions, logger, now } = deps;
  const { id: runId, window } = plan;
  const caller = serviceCaller('report-run', plan.startedBy);
  const previousWindow = windowEndingOn(new Date(Date.parse(`${window.start}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10), plan.days);
  let done = 0;
  // When each part ended, from the start of the run (debug log): they run side by side.
  const t0 = performance.now();
  const stages: Record<string, number> = {};
  const ended = <T>(stage: string) => (value: T): T => {
    stages[stage] = Math.round(performance.now() - t0);
    return value;
  };
  const [completeness, previous, queries] = await Promise.all([
    dataCompleteness(executions, caller, window, [runId]).catch((err: unknown) => {
      // The findings still stand when the check cannot run (a scan limit, say); the run says the days are unknown.
      logger.warn({ err, runId }, 'the data completeness of a report run could not be checked');
      return { completeness: { daysWithData: [], missingDays: [], unknown: problemOf(err).detail ?? 'the check failed' }, bytesScanned: 0 };
    }).then(ended('completeness')),
    // The period diff is shown only when the previous window holds data on every day; unknown counts as not.
    dataCompleteness(executions, caller, previousWindow, [runId, 'previous-window']).then(
      (c) => ({ complete: c.completeness.missingDays.length === 0, bytesScanned: c.bytesScanned }),
      () => ({ complete: false, bytesScanned: 0 }),
    ).then(ended('previousCompleteness')),
    // Started costliest first, listed in the report's order.
    mapBounded(startOrder(report.queries, plan.lastCostMs), MAX_PARALLEL_QUERIES, async (i) => {
      const q = report.queries[i]!;
      let costMs: number | undefined;
      const result = await runFinding(deps, caller, q, runId, window, previousWindow, (ms) => (costMs = ms));
      onFinding?.(++done, { id: q.id, ...(costMs !== undefined ? { costMs } : {}) });
      return [i, ended<RunQueryResult>(q.id)(result)] as const;
    }).then((ran) => {
      const results = new Array<RunQueryResult>(ran.length);
      for (const [i, result] of ran) results[i] = result;
      return results;
    }),
  ]);
  logger.debug({ runId, stages }, 'report run timings');
  const failed = queries.filter((q) => q.state === 'FAILED');
  return {
    id: runId,
    report: report.name,
    title: report.title,
    days: plan.days,
    window,
    engine: executions.engine.name,
    state: failed.length === 0 ? 'SUCCEEDED' : failed.length === queries.length ? 'FAILED' : 'PARTIAL',
    ...(plan.startedBy ? { startedBy: plan.startedBy } : {}),
    startedAt: plan.startedAt,
    finishedAt: now().toISOString(),
    bytesScanned: completeness.bytesScanned + previous.bytesScanned + queries.reduce((n, q) => n + q.bytesScanned, 0),
    completeness: completeness.completeness,
    queries: withPreviousCompleteness(queries, previous.complete),
  };
}
