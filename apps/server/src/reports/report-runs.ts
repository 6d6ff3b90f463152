import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  ProblemTypes,
  utcToday,
  windowEndingOn,
  type DateWindow,
  type Problem,
  type ReportRunStarted,
  type ReportWindowState,
  type WindowDays,
} from '@access-monitor/contracts';
import type { SecurityReport } from '@access-monitor/reports';
import type { ObjectStore } from '@access-monitor/storage';
import type { Executions } from '../executions/executions-service';
import type { ReportCatalog } from './report-catalog';
import { presentState, type ReportStates, type StoredState } from './report-states';
import { problemOf } from './run-finding';
import { recordRun } from './run-record';
import { newRunId, runReport } from './run-report';

export interface ReportRunsDeps {
  /** Every query of a run goes through the executions service: recorded, limited, idempotent per run and query. */
  executions: Executions;
  store: ObjectStore;
  catalog: ReportCatalog;
  states: ReportStates;
  logger: Logger;
  now: () => Date;
  queryTimeoutMs: number;
  /** Names this instance across restarts (a RUNNING state it owned in a previous process was interrupted). */
  instanceId: string;
  /** How often a running instance refreshes its RUNNING state. Default 15 s. */
  heartbeatMs?: number;
}

/** What a run needs to know to start (the scheduler leaves `startedBy` out). */
export interface RunRequest {
  days: WindowDays;
  end?: string | undefined;
  startedBy?: string | undefined;
}

const interruptedProblem = (runId: string | undefined): Problem => ({
  type: ProblemTypes.internal,
  title: 'Report run interrupted',
  status: 500,
  detail: `interrupted by a restart: run ${runId ?? '(unknown)'} was still RUNNING when the instance running it stopped; it is re-run`,
});

/**
 * Report runs: start (or join) a run of a report for a window, execute its queries with bounded
 * parallelism, store the immutable run (`runs/<id>/…`) and keep the window's state current. State
 * changes are conditional puts, so instances sharing the store agree on who runs what.
 */
export function createReportRuns(deps: ReportRunsDeps) {
  const { executions, store, catalog, states, logger, now, queryTimeoutMs, instanceId } = deps;
  const heartbeatMs = deps.heartbeatMs ?? 15_000;
  /** A RUNNING state whose owner has not refreshed it for this long is taken to be dead. */
  const staleAfterMs = heartbeatMs * 4;
  const processId = randomUUID();
  /** Runs this process executes, by `<report>/<days>`. */
  const active = new Map<string, { runId: string; done: Promise<void> }>();
  // What each finding of a report and window cost in its last run here: the next run starts the costliest first.
  const lastCosts = new Map<string, Map<string, number>>();
  /** Starts under way in this process, so concurrent POSTs for one window make one run. */
  const starting = new Map<string, Promise<ReportRunStarted>>();

  /** Whether a RUNNING state is being worked on: by this process, or by another instance that still beats. */
  function isLive(s: StoredState): boolean {
    if (!s.owner) return false;
    if (s.owner.process === processId) return true;
    if (s.owner.instance === instanceId) return false; // this instance, an earlier process: it was restarted
    return now().getTime() - Date.parse(s.owner.heartbeatAt) < staleAfterMs;
  }

  /** Marks a dead RUNNING state FAILED ("interrupted by a restart"); true when it did. */
  async function recoverIfInterrupted(report: string, days: WindowDays): Promise<boolean> {
    let interrupted: StoredState | undefined;
    await states.update(report, days, (current) => {
      interrupted = undefined;
      if (current?.state !== 'RUNNING' || isLive(current)) return undefined;
      interrupted = current;
      const { owner: _owner, progress: _progress, ...rest } = current;
      return { ...rest, state: 'FAILED', finishedAt: now().toISOString(), error: interruptedProblem(current.runId) };
    });
    if (interrupted) logger.warn({ report, days, runId: interrupted.runId, owner: interrupted.owner }, 'report run was interrupted by a restart; marked FAILED');
    return interrupted !== undefined;
  }

  async function start(name: string, request: RunRequest): Promise<ReportRunStarted> {
    const report = await catalog.get(name);
    const key = `${report.name}/${request.days}`;
    const mine = active.get(key);
    if (mine) return { runId: mine.runId, joined: true, state: presentState(report.name, request.days, (await states.read(report.name, request.days))?.state) };
    const pending = starting.get(key);
    if (pending) return { ...(await pending), joined: true };
    const started = claim(report, request).finally(() => starting.delete(key));
    starting.set(key, started);
    return started;
  }

  async function claim(report: SecurityReport, request: RunRequest): Promise<ReportRunStarted> {
    const { days } = request;
    await recoverIfInterrupted(report.name, days);
    const window = windowEndingOn(request.end ?? utcToday(now()), days);
    const runId = newRunId(now());
    const startedAt = now().toISOString();
    let joined: StoredState | undefined;
    const claimed = await states.update(report.name, days, (current) => {
      joined = undefined;
      if (current?.state === 'RUNNING' && isLive(current)) {
        joined = current;
        return undefined;
      }
      return {
        report: report.name,
        days,
        state: 'RUNNING',
        runId,
        startedAt,
        window,
        progress: { done: 0, total: report.queries.length },
        owner: { instance: instanceId, process: processId, heartbeatAt: startedAt },
        ...(current?.lastReadyRunId ? { lastReadyRunId: current.lastReadyRunId } : {}),
        ...(current?.lastReadyAt ? { lastReadyAt: current.lastReadyAt } : {}),
      };
    });
    if (joined) return { runId: joined.runId!, joined: true, state: presentState(report.name, days, joined) };
    const key = `${report.name}/${days}`;
    const done = execute(report, runId, days, window, startedAt, request.startedBy).finally(() => active.delete(key));
    active.set(key, { runId, done });
    logger.info({ report: report.name, days, runId, window, startedBy: request.startedBy }, 'report run started');
    return { runId, joined: false, state: presentState(report.name, days, claimed) };
  }

  /** Runs every query and stores the run; never rejects (a failure ends in a FAILED state). */
  async function execute(report: SecurityReport, runId: string, days: WindowDays, window: DateWindow, startedAt: string, startedBy: string | undefined): Promise<void> {
    let finished = 0;
    // State writes of one run go one after another: a heartbeat never races a progress update.
    let writes: Promise<unknown> = Promise.resolve();
    const touch = (): void => {
      writes = writes
        .then(() =>
          states.update(report.name, days, (current) =>
            current?.state === 'RUNNING' && current.runId === runId && current.owner?.process === processId
              ? { ...current, progress: { done: finished, total: report.queries.length }, owner: { ...current.owner, heartbeatAt: now().toISOString() } }
              : undefined,
          ),
        )
        .catch((err: unknown) => logger.warn({ err, runId }, 'could not refresh the report state'));
    };
    const heartbeat = setInterval(touch, heartbeatMs);
    heartbeat.unref();
    let final: Omit<StoredState, 'lastReadyRunId' | 'lastReadyAt'> & { ready: boolean };
    try {
      const costKey = `${report.name}/${days}`;
      const lastCostMs = lastCosts.get(costKey);
      const costs = new Map(lastCostMs);
      const run = await runReport({ executions, store, logger, queryTimeoutMs, now }, report, { id: runId, days, window, startedAt, startedBy, lastCostMs }, (done, finding) => {
        if (finding.costMs !== undefined) costs.set(finding.id, finding.costMs);
        finished = done;
        touch();
      });
      const { queries } = run;
      const failed = queries.filter((q) => q.state === 'FAILED');
      lastCosts.set(costKey, costs);
      await recordRun(store, run);
      final =
        run.state === 'FAILED'
          ? {
              report: report.name,
              days,
              state: 'FAILED',
              runId,
              startedAt,
              finishedAt: run.finishedAt,
              error: { type: ProblemTypes.engineFailed, title: 'Every query of the report failed', status: 502, detail: `all ${queries.length} queries failed; the first: ${failed[0]?.error?.detail ?? 'no message'}` },
              ready: false,
            }
          : { report: report.name, days, state: 'READY', runId, startedAt, finishedAt: run.finishedAt, ready: true };
      logger.info({ report: report.name, days, runId, state: run.state, failed: failed.map((q) => q.id), bytesScanned: run.bytesScanned }, 'report run finished');
    } catch (err) {
      logger.error({ err, report: report.name, days, runId }, 'report run failed');
      final = { report: report.name, days, state: 'FAILED', runId, startedAt, finishedAt: now().toISOString(), error: problemOf(err), ready: false };
    } finally {
      clearInterval(heartbeat);
    }
    await writes;
    const { ready, ...next } = final;
    await states
      .update(report.name, days, (current) => {
        // Someone else took the window over (this instance looked dead to them): leave their state alone.
        if (current?.runId !== runId) return undefined;
        const lastReady = ready ? { lastReadyRunId: runId, lastReadyAt: next.finishedAt! } : { ...(current.lastReadyRunId ? { lastReadyRunId: current.lastReadyRunId } : {}), ...(current.lastReadyAt ? { lastReadyAt: current.lastReadyAt } : {}) };
        return { ...next, ...lastReady };
      })
      .catch((err: unknown) => logger.error({ err, runId }, 'could not record the end of a report run'));
  }

  return {
    start,
    /** Marks every RUNNING state of these reports that nobody is running any more FAILED; returns them. */
    async recoverInterrupted(reports: readonly SecurityReport[], windows: readonly WindowDays[]): Promise<Array<{ report: string; days: WindowDays }>> {
      const recovered: Array<{ report: string; days: WindowDays }> = [];
      for (const r of reports) for (const days of windows) if (await recoverIfInterrupted(r.name, days)) recovered.push({ report: r.name, days });
      return recovered;
    },
    /** Settles when this process's run of the report and window (if any) has ended. */
    async settled(report: string, days: WindowDays): Promise<void> {
      await starting.get(`${report}/${days}`)?.catch(() => undefined);
      await active.get(`${report}/${days}`)?.done;
    },
    /** Settles when every run this process is executing has ended (shutdown, tests). */
    async drain(): Promise<void> {
      await Promise.all([...starting.values()].map((p) => p.catch(() => undefined)));
      await Promise.all([...active.values()].map((a) => a.done));
    },
    async state(report: string, days: WindowDays): Promise<ReportWindowState> {
      return presentState(report, days, (await states.read(report, days))?.state);
    },
  };
}
export type ReportRuns = ReturnType<typeof createReportRuns>;
