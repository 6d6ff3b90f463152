import { createHash, type Hash } from 'node:crypto';
import type { Logger } from 'pino';
import { ProblemTypes, type ChartPoint, type DateWindow, type PeriodDiff, type Problem, type RunQueryResult } from '@access-monitor/contracts';
import type { AuditQueryDefinition } from '@access-monitor/reports';
import type { ObjectStore } from '@access-monitor/storage';
import type { Caller, Executions } from '../executions/executions-service';
import { problemFor } from '../http/problem-handler';
import { reportKeys } from '../store-layout';
import { EntityColumnScanner } from './csv-entities';
import { distinctEntities, distinctEntitiesSql, periodDiff } from './period-diff';

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
export async function runFinding(
  deps: FindingDeps,
  caller: Caller,
  q: AuditQueryDefinition,
  runId: string,
  window: DateWindow,
  previousWindow: DateWindow,
  /** Told what the finding itself cost (its detail query running, not waiting, and copying its rows): how to order the next run. */
  onCost?: (ms: number) => void,
): Promise<RunQueryResult> {
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
  // When each stage ended, from the finding's start (debug log): the profile of a run.
  const stages: Record<string, number> = {};
  const ended = (stage: string): void => void (stages[stage] = Math.round(performance.now() - t0));
  let bytesScanned = 0;
  const detailSql = q.detailSql ?? q.chartSql;
  // The chart and the previous window's entities need nothing from the detail rows: all three are queued at
  // once, so the engine always has the next query of the run to start.
  const detailRun = executions.runSucceeded(caller, { sql: detailSql, window, intent: [runId, q.id, 'detail'] }, queryTimeoutMs);
  const chartRun = executions.runToCompletion(caller, { sql: q.chartSql, window, intent: [runId, q.id, 'chart'] }, queryTimeoutMs);
  const previousRun =
    q.entityColumns.length > 0
      ? executions.runToCompletion(caller, { sql: distinctEntitiesSql(detailSql, q.entityColumns), window: previousWindow, intent: [runId, q.id, 'previous'] }, queryTimeoutMs)
      : undefined;
  // Each is awaited below or settled before returning; these handlers only keep an early failure from going unobserved.
  for (const p of [detailRun, chartRun, previousRun]) p?.catch(() => undefined);
  try {
    const detail = await detailRun;
    bytesScanned += detail.bytesScanned;
    ended('detail');
    const columns = detail.columns ?? [];
    const rowCount = detail.rowCount ?? 0;
    // Streamed from the engine's result into the run, hashed and read for the finding's entities on the way:
    // a finding of millions of rows is never held whole, nor read twice.
    const hash = createHash('sha256');
    const entities = distinctEntities(q.entityColumns);
    const scanner = q.entityColumns.length > 0 ? new EntityColumnScanner(q.entityColumns, entities.add) : undefined;
    await store.putStream(reportKeys.resultCsv(runId, q.id), passing(await engine.csv(detail.id), hash, scanner), { ifNoneMatch: '*', contentType: 'text/csv' });
    const sha256 = hash.digest('hex');
    await store.put(reportKeys.resultMetadata(runId, q.id), JSON.stringify({ columns, rowCount }), { ifNoneMatch: '*', contentType: 'application/json' });
    const current = scanner?.found ? entities.list() : undefined;
    ended('copy');
    onCost?.(detail.elapsedMs + stages.copy! - stages.detail!);

    const chartRows = await chartRun;
    bytesScanned += chartRows.status.bytesScanned;
    const chart: ChartPoint[] = chartRows.rows.map((r) => ({
      event_date: String(r.event_date).slice(0, 10),
      count: Number(r.count),
      series: r[q.chart.series] === null || r[q.chart.series] === undefined ? null : String(r[q.chart.series]),
    }));
    ended('chart');

    let diff: PeriodDiff | undefined;
    if (current && previousRun) {
      try {
        const previous = await previousRun;
        bytesScanned += previous.status.bytesScanned;
        const before = previous.rows.map((r) => Object.fromEntries(q.entityColumns.map((c) => [c, r[c] === null || r[c] === undefined ? null : String(r[c])])));
        diff = periodDiff(q.entityColumns, previousWindow, current, before, q.kind);
        ended('diff');
      } catch (err) {
        logger.warn({ err, runId, query: q.id }, 'the period diff of a finding could not be computed');
      }
    } else {
      // The detail lacks an entity column: the diff is not computed (the previous window's query fails the same way).
      await previousRun?.catch(() => undefined);
    }
    logger.debug({ runId, query: q.id, rowCount, stages }, 'report finding timings');
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
    // The finding's other queries end before it is recorded: nothing of the run is left running.
    await Promise.allSettled([detailRun, chartRun, previousRun]);
    return { ...base, state: 'FAILED', bytesScanned, elapsedMs: Math.round(performance.now() - t0), error: problemOf(err) };
  }
}

/** The chunks of a stream as they pass, fed to `hash` and to the entity scanner. */
async function* passing(stream: AsyncIterable<unknown>, hash: Hash, scanner: EntityColumnScanner | undefined): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from((chunk as Uint8Array).buffer, (chunk as Uint8Array).byteOffset, (chunk as Uint8Array).byteLength);
    hash.update(bytes);
    scanner?.push(bytes);
    yield bytes;
  }
  scanner?.finish();
}
