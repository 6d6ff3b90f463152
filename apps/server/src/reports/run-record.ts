import type { ReportRun, ReportRunSummary } from '@access-monitor/contracts';
import type { ObjectStore } from '@access-monitor/storage';
import { reportKeys } from '../store-layout';

/** A run's entry in its window's history: what the run list shows without reading the manifest. */
export function summaryOf(run: ReportRun): ReportRunSummary {
  return {
    runId: run.id,
    report: run.report,
    days: run.days as ReportRunSummary['days'],
    window: run.window,
    state: run.state,
    ...(run.startedBy ? { startedBy: run.startedBy } : {}),
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    rowCounts: Object.fromEntries(run.queries.filter((q) => q.rowCount !== undefined).map((q) => [q.id, q.rowCount!])),
  };
}

/**
 * Records a finished run once and for all: its manifest (the permalink's content), then its entry in the
 * window's history. Both are create-only puts: a run is never rewritten.
 */
export async function recordRun(store: ObjectStore, run: ReportRun): Promise<void> {
  await store.put(reportKeys.manifest(run.id), JSON.stringify(run), { ifNoneMatch: '*', contentType: 'application/json' });
  await store.put(reportKeys.runIndex(run.report, run.days, Date.parse(run.startedAt), run.id), JSON.stringify(summaryOf(run)), { ifNoneMatch: '*', contentType: 'application/json' });
}
