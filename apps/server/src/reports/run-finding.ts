import { createHash, type Hash } from 'node:crypto';
import type { Logger } from 'pino';
import { ProblemTypes, type ChartPoint, type DateWindow, type PeriodDiff, type Problem, type RunQueryResult } from '@access-monitor/contracts';
import type { AuditQueryDefinition } from '@access-monitor/reports';
import type { ObjectStore } from '@access-monitor/storage';
import type { Caller, Executions } from '../executions/executions-service';
import { problemFor } from '../http/problem-handler';
import { reportKeys } from '../store-layout';
import { distinctEntitiesSql, entitiesOfCsv, periodDiff } from './period-diff';

export interface FindingDeps {
  executions: Executions;
  store: ObjectStore;
  logger: Logger;
  queryTimeoutMs: number;
}

/** The problem recorded for a failed query or run: the engine's (or guard's) own message. */
export function problemOf(e: unknown): Problem {
  const p = problemFor(e);
  return p.type === ProblemTypes.internal ? { ...p, detail: e instanceof Error ? e.message : String(e) } : p;
}

/** One audit query of a run: detail rows (stored as the run's CSV), chart points and the period diff. A failure is recorded, not thrown. */
export async function runFinding(deps: FindingDeps, caller: Caller, q: AuditQueryDefinition, runId: string, window: DateWindow, previousWindow: DateWindow): Promise<RunQueryResult> {
  const { executions, store, logger, queryTimeoutMs } = deps;
  const { engine } = executions;
  const base = {
    id: q.id,
    title: q.title,
    description: q.description,
    severity: q.severity,
    recommendation: q.recommendation,
    detailSql: q.detailSql,
    chartSql: q.chartSql,
    chartSeries: q.chart.series,
  };
  // Elapsed time is measured on the monotonic clock; the injected clock says what time it is.
  const t0 = performance.now();
  let bytesScanned = 0;
  try {
    const detailSql = q.detailSql ?? q.chartSql;
    const detail = await executions.runSucceeded(caller, { sql: detailSql, window, intent: [runId, q.id, 'detail'] }, queryTimeoutMs);
    bytesScanned += detail.bytesScanned;
    const columns = detail.columns ?? [];
    const rowCount = detail.rowCount ?? 0;
    const csvKey = reportKeys.resultCsv(runId, q.id);
    // Streamed from the engine's result into the run, hashed on the way: a finding of millions of rows is never held whole.
    const hash = createHash('sha256');
    await store.putStream(csvKey, hashed(await engine.csv(detail.id), hash), { ifNoneMatch: '*', contentType: 'text/csv' });
    const sha256 = hash.digest('hex');
    await store.put(reportKeys.resultMetadata(runId, q.id), JSON.stringify({ columns, rowCount }), { ifNoneMatch: '*', contentType: 'application/json' });

    const chartRun = await executions.runToCompletion(caller, { sql: q.chartSql, window, intent: [runId, q.id, 'chart'] }, queryTimeoutMs);
    bytesScanned += chartRun.status.bytesScanned;
    const chart: ChartPoint[] = chartRun.rows.map((r) => ({
      event_date: String(r.event_date).slice(0, 10),
      count: Number(r.count),
      series: r[q.chart.series] === null || r[q.chart.series] === undefined ? null : String(r[q.chart.series]),
    }));

    let diff: PeriodDiff | undefined;
    const current = q.entityColumns.length > 0 ? await entitiesOfCsv(await store.read(csvKey), q.entityColumns) : undefined;
    if (current) {
      try {
        const previous = await executions.runToCompletion(caller, { sql: distinctEntitiesSql(detailSql, q.entityColumns), window: previousWindow, intent: [runId, q.id, 'previous'] }, queryTimeoutMs);
        bytesScanned += previous.status.bytesScanned;
        const entities = previous.rows.map((r) => Object.fromEntries(q.entityColumns.map((c) => [c, r[c] === null || r[c] === undefined ? null : String(r[c])])));
        diff = periodDiff(q.entityColumns, previousWindow, current, entities, q.kind);
      } catch (err) {
        logger.warn({ err, runId, query: q.id }, 'the period diff of a finding could not be computed');
      }
    }
    return {
      ...base,
      state: 'SUCCEEDED',
      rowCount,
      columns,
      bytesScanned,
      elapsedMs: Math.round(performance.now() - t0),
      sha256,
      chart,
      ...(diff ? { diff } : {}),
    };
  } catch (err) {
    logger.warn({ err, runId, query: q.id }, 'a report query failed');
    return { ...base, state: 'FAILED', bytesScanned, elapsedMs: Math.round(performance.now() - t0), error: problemOf(err) };
  }
}

/** The chunks of a stream as they pass, fed to `hash`. */
async function* hashed(stream: AsyncIterable<unknown>, hash: Hash): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Uint8Array);
    hash.update(bytes);
    yield bytes;
  }
}
