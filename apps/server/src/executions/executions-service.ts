import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { isTerminalState, type Cell, type ColumnInfo, type DateWindow, type ExecutionOrigin } from '@access-monitor/contracts';
import type { EnginePathChoice, ExecutionStatus, QueryEngine } from '@access-monitor/engine';
import type { AppConfig } from '../config/load-config';
import { EngineFailed, TooManyRunningQueries } from './execution-errors';
import type { Metrics } from '../metrics/metrics';
import type { ObjectStore } from '@access-monitor/storage';
import { createAdmission, type Release } from './admission';
import type { ExecutionLog, ExecutionRecord } from './execution-log';
import { createScanBudget } from './scan-budget';
import { createResultsQuota } from './results-quota';
import { createUserSlots, type HeldUserSlot } from './user-slots';

/**
 * Who an execution runs for. People are limited per user and refused (429) over their limit; the
 * server's own work (report runs, response actions, charts) runs under a service identity whose
 * queries wait for a slot instead, so a busy report never fails for being busy.
 */
export interface Caller {
  /** A user's name, or `service:<origin>` for work the server does itself. */
  user: string;
  kind: 'user' | 'service';
  origin: ExecutionOrigin;
  /** The person a service execution was asked for (a report run started from the UI). */
  onBehalfOf?: string | undefined;
}

export const userCaller = (user: string, origin: ExecutionOrigin = 'interactive'): Caller => ({ user, kind: 'user', origin });
export const serviceCaller = (origin: ExecutionOrigin, onBehalfOf?: string): Caller => ({ user: `service:${origin}`, kind: 'service', origin, ...(onBehalfOf ? { onBehalfOf } : {}) });

export interface ExecutionRequest {
  sql: string;
  window: DateWindow;
  /**
   * What makes a retry the same request, e.g. `[requestId, clientToken]` or `[runId, queryId, 'detail']`:
   * the engine's idempotency token is derived from it, so a retried click joins the query it started.
   */
  intent: readonly string[];
  /** The saved query the SQL came from, when it did. */
  query?: string | undefined;
  /** Embedded engine: 'json' reads the views by JSON extraction only, to compare with the typed store. */
  enginePath?: EnginePathChoice | undefined;
}

export interface StartedExecution {
  status: ExecutionStatus;
  record: ExecutionRecord;
}

export interface CompletedQuery {
  status: ExecutionStatus;
  columns: ColumnInfo[];
  rows: Record<string, Cell>[];
}

export interface ExecutionsDeps {
  engine: QueryEngine;
  log: ExecutionLog;
  limits: AppConfig['limits'];
  logger?: Logger | undefined;
  metrics?: Metrics | undefined;
  now: () => Date;
  /** Where `limits.scan_budget` is kept, shared by every instance; without it there is no budget. */
  store?: ObjectStore | undefined;
}

/** The idempotency token for an intent: stable for the same caller and intent, opaque to the engine. */
export function idempotencyToken(caller: Caller, intent: readonly string[]): string {
  const h = createHash('sha256');
  for (const part of [caller.user, caller.origin, ...intent]) h.update(part).update('\0');
  return h.digest('hex').slice(0, 32);
}

/**
 * The one way a query reaches the engine, whoever asks (HTTP, report runs, the scheduler, response
 * actions, the timeline, usage charts, data completeness, the CLI): the engine guards the SQL, this
 * applies the scan limit and the running limits, records the execution and derives its idempotency token.
 */
export function createExecutions(deps: ExecutionsDeps) {
  const { engine, log, limits, now } = deps;
  const admission = createAdmission({ engine, total: limits.maxRunningTotal });
  const scanBudget = limits.scanBudget && deps.store ? createScanBudget({ store: deps.store, engine, limit: limits.scanBudget, now }) : undefined;

  const userSlots = deps.store ? createUserSlots({ store: deps.store, engine, now }) : undefined;
  const resultsQuota =
    deps.store && limits.resultsQuotaPerUser !== undefined
      ? createResultsQuota({ store: deps.store, engine, now, quotaBytes: limits.resultsQuotaPerUser, retentionMs: limits.resultRetentionMs })
      : undefined;
  /** A slot's lease outlives the longest an interactive execution may run (the engine stops it then), plus a margin. */
  const userLeaseMs = (limits.interactiveTimeoutMs ?? limits.queryTimeoutMs) + 60_000;
  /** Store slots of executions started here and still running, so a caller that waits frees them as soon as it sees the end. */
  const heldSlots = new Map<string, HeldUserSlot>();

  /**
   * Users over their limit are refused: counted in the store across every instance (user-slots.ts), and
   * here for the instance's total.
   */
  async function admitUser(caller: Caller): Promise<{ release: Release; slot: HeldUserSlot | undefined }> {
    const limit = limits.maxRunningPerUser;
    await resultsQuota?.ensureRoom(caller.user);
    const slot = userSlots ? await userSlots.tryTake(caller.user, limit, userLeaseMs) : undefined;
    const release = userSlots && !slot ? undefined : await admission.tryAcquire(caller.user, limit);
    if (!release) {
      await slot?.release();
      // Refused by the user's own limit (in the store, or here), or by the instance's total.
      const overOwnLimit = (userSlots !== undefined && !slot) || admission.running(caller.user) >= limit;
      const running = userSlots ? await userSlots.busy(caller.user, limit) : admission.running(caller.user);
      throw new TooManyRunningQueries(
        overOwnLimit
          ? `you have ${Math.max(running, limit)} queries queued or running; at most ${limit} may run at once (limits.max_running_per_user). Wait for one to finish or cancel it.`
          : `the server is running its limit of ${limits.maxRunningTotal} queries (limits.max_running_total); try again in a moment.`,
      );
    }
    return { release, slot };
  }

  /** Starts an execution; `recorded` settles once its record is written (the caller awaits it before handing the id out). */
  async function begin(caller: Caller, request: ExecutionRequest): Promise<StartedExecution & { recorded: Promise<void> }> {
    // The server's own work waits its turn, round-robin by the person it runs for.
    const { release, slot } =
      caller.kind === 'user' ? await admitUser(caller) : { release: await admission.acquire(caller.user, limits.maxRunningService, { owner: caller.onBehalfOf ?? caller.user }), slot: undefined };
    let id: string;
    try {
      // Everyone's queries, report refreshes included, draw on the shared scan budget once admitted (a refused start spends none).
      await scanBudget?.reserve(request.window);
      ({ id } = await engine.start({
        sql: request.sql,
        window: request.window,
        token: idempotencyToken(caller, request.intent),
        ...(limits.maxBytesScanned !== undefined ? { maxBytesScanned: limits.maxBytesScanned } : {}),
        // The engine enforces it itself, so a query nobody waits for (an HTTP execution) is stopped too.
        timeoutMs: caller.kind === 'user' ? (limits.interactiveTimeoutMs ?? limits.queryTimeoutMs) : limits.queryTimeoutMs,
        ...(request.enginePath ? { enginePath: request.enginePath } : {}),
      }));
    } catch (e) {
      release();
      await slot?.release();
      throw e;
    }
    admission.hold(release, id);
    // The holder notes the result's size against the user's quota once it is kept.
    if (slot) {
      heldSlots.set(id, slot);
      await slot.hold(id, async () => {
        heldSlots.delete(id);
        await resultsQuota?.noteResult(caller.user, id);
      });
    }
    const status = await engine.status(id);
    const record: ExecutionRecord = {
      id,
      user: caller.user,
      sql: request.sql,
      window: request.window,
      engine: engine.name,
      submittedAt: status.submittedAt,
      origin: caller.origin,
      ...(caller.onBehalfOf ? { onBehalfOf: caller.onBehalfOf } : {}),
      ...(request.query ? { query: request.query } : {}),
    };
    // A retried intent joins its execution, which is already recorded.
    const recorded = log.owner(id).then((owner) => (owner ? undefined : log.record(record)));
    recorded.catch(() => undefined); // awaited by the caller; never an unhandled rejection meanwhile
    deps.metrics?.executionsStarted.inc({ engine: engine.name });
    // People's queries at info; the server's own (a report run is a dozen queries) at debug.
    deps.logger?.[caller.kind === 'user' ? 'info' : 'debug']({ executionId: id, user: caller.user, origin: caller.origin, window: request.window }, 'execution started');
    return { status, record, recorded };
  }

  /** Starts an execution and records it before its id is handed out (to an HTTP client, say). */
  async function start(caller: Caller, request: ExecutionRequest): Promise<StartedExecution> {
    const { recorded, ...started } = await begin(caller, request);
    await recorded;
    return started;
  }

  /** Polls until the execution ends, backing off from 20 ms to 250 ms; cancels it past the deadline. */
  async function waitFor(id: string, timeoutMs: number = limits.queryTimeoutMs): Promise<ExecutionStatus> {
    const deadline = now().getTime() + timeoutMs;
    for (let delay = 20; ; delay = Math.min(delay * 1.5, 250)) {
      // An engine that knows when a job ends answers then; others are polled with backoff.
      const status = engine.waitForChange ? await engine.waitForChange(id, Math.max(0, Math.min(1000, deadline - now().getTime()))) : await engine.status(id);
      if (isTerminalState(status.state)) {
        // A one-shot caller (the CLI) may exit right after: free the slot now rather than at the watcher's next look.
        await heldSlots.get(id)?.ended().catch(() => undefined); // the lease frees it otherwise
        return status;
      }
      if (now().getTime() > deadline) {
        await engine.cancel(id);
        throw new EngineFailed(`query ${id} exceeded the ${Math.round(timeoutMs / 1000)} s timeout and was cancelled`, 'TIMEOUT');
      }
      if (!engine.waitForChange) await sleep(delay);
    }
  }

  /** Starts, waits, and fails unless the execution succeeded; the status of a SUCCEEDED execution. */
  async function runSucceeded(caller: Caller, request: ExecutionRequest, timeoutMs?: number): Promise<ExecutionStatus> {
    // The record is written while the query runs (both end before this does): it costs as much as a small query.
    const { status: started, recorded } = await begin(caller, request);
    const [status] = await Promise.all([waitFor(started.id, timeoutMs), recorded]);
    if (status.state !== 'SUCCEEDED') throw new EngineFailed(status.error?.message ?? `query ended ${status.state}`, status.error?.code ?? status.state);
    return status;
  }

  /** Runs a query to its end and returns every row as objects (charts, diffs, rule evaluation). */
  async function runToCompletion(caller: Caller, request: ExecutionRequest, timeoutMs?: number): Promise<CompletedQuery> {
    const status = await runSucceeded(caller, request, timeoutMs);
    const rows: Record<string, Cell>[] = [];
    let columns: ColumnInfo[] = status.columns ?? [];
    for (let offset = 0; ; ) {
      const page = await engine.page(status.id, offset, 10_000);
      columns = page.columns;
      for (const r of page.rows) rows.push(Object.fromEntries(columns.map((c, i) => [c.name, r[i] ?? null])));
      offset += page.rows.length;
      if (page.rows.length === 0 || offset >= page.totalRows) break;
    }
    return { status, columns, rows };
  }

  /** Stops background work (watching running executions to free their slots); the engine is closed by its owner. */
  async function close(): Promise<void> {
    await userSlots?.close();
  }

  return { engine, log, start, waitFor, runSucceeded, runToCompletion, scanBudget, close };
}
export type Executions = ReturnType<typeof createExecutions>;
