import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  Firing,
  utcToday,
  windowEndingOn,
  type ActionPreview,
  type Cell,
  type DateWindow,
  type DestinationDelivery,
  type ResponseAction,
  type ResponseRecord,
  type SaveResponseAction,
} from '@access-monitor/contracts';
import { findingQuery } from '@access-monitor/reports';
import { ObjectNotFound, PreconditionFailed, type ObjectStore } from '@access-monitor/storage';
import { serviceCaller, type Executions } from '../executions/executions-service';
import { NotFound } from '../domain-errors';
import type { Metrics } from '../metrics/metrics';
import type { SavedQueries } from '../queries/saved-queries';
import type { ReportCatalog } from '../reports/report-catalog';
import { entityKeyOf } from '../triage/triage-store';
import { readNewestFirst } from '../revisions/newest-first-log';
import { actionKeys } from '../store-layout';
import { firingIdOf, parseFiringId } from './action-keys';
import { InvalidAction } from './action-errors';
import type { ActionsConfig } from './delivery/actions-config';
import { deliver, type DeliveryMessage } from './delivery/deliver';
import { lockUsers, type TctlRunner } from './delivery/teleport-lock';

/** What a rule's source resolves to when it runs. */
export interface ResolvedSource {
  label: string;
  sql: string;
  severity?: string;
  /** Columns that identify a row for `new_rows` (the finding's entities, the declared key, or every column). */
  keyColumns: readonly string[] | undefined;
  /** Set for findings: triage exceptions of that report and finding apply. */
  finding?: { report: string; id: string; entityColumns: readonly string[] };
}

/** The rows a rule would send now, before anything is sent. */
interface Evaluation {
  window: DateWindow;
  executionId: string;
  columns: string[];
  totalRows: number;
  suppressedRows: number;
  keyColumns: readonly string[];
  repeatedRows: number;
  alreadySentRows: number;
  /** Rows to send, with their row keys. */
  send: Array<{ key: string; row: Record<string, Cell> }>;
}

/** Written create-only before a firing delivers: its rows count as sent, and a restart re-delivers exactly these. */
interface SentRecord {
  firingId: string;
  columns: string[];
  keys: string[];
  rows: Record<string, Cell>[];
  totalNewRows: number;
  lockUsers: string[];
}

export interface ActionFiringsDeps {
  store: ObjectStore;
  executions: Executions;
  catalog: ReportCatalog;
  queries: SavedQueries;
  config: ActionsConfig;
  logger: Logger;
  now: () => Date;
  instanceId: string;
  metrics?: Metrics | undefined;
  /** Entity keys (triage's `entityKeyOf`) excepted for a finding; none when triage is not wired. */
  suppressedEntities?: (report: string, finding: string) => Promise<ReadonlySet<string>>;
  /** Where a firing's payload links to (the dashboard's base URL + path). */
  link?: (path: string) => string;
  tctlRunner?: TctlRunner;
  /** How often a running firing refreshes its heartbeat. Default 15 s. */
  heartbeatMs?: number;
  /** Delivery timing, injected by tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** A firing as stored: who is working on it while it is RUNNING (not part of the API). */
const StoredFiring = Firing.extend({ owner: z.object({ instance: z.string(), process: z.string(), heartbeatAt: z.string() }).optional() });
type StoredFiring = z.infer<typeof StoredFiring>;

const digest = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Firings of response actions: each (rule, slot) is claimed once across instances by a create-only
 * firing record; the rows a firing sends are written before delivery, so a crash re-delivers them under
 * the same firing id (receivers drop the repeat by its Idempotency-Key) and never under a new one.
 */
export function createActionFirings(deps: ActionFiringsDeps) {
  const { store, executions, catalog, queries, config, logger, now, instanceId } = deps;
  const heartbeatMs = deps.heartbeatMs ?? 15_000;
  const processId = randomUUID();
  const link = deps.link ?? ((p: string) => p);
  /** Final firings never change again: their state is read once per process. */
  const finalStates = new Map<string, Firing['state']>();
  const sentRecords = new Map<string, SentRecord>();

  async function resolveSource(spec: Pick<SaveResponseAction, 'source' | 'condition'>): Promise<ResolvedSource> {
    const declaredKey = 'new_rows' in spec.condition ? spec.condition.new_rows.key : undefined;
    if ('finding' in spec.source) {
      const [reportName, id] = spec.source.finding.split('/') as [string, string];
      const report = await catalog.get(reportName).catch((e: unknown) => {
        throw e instanceof NotFound ? new InvalidAction(`source.finding: there is no security report named ${reportName}`, 'source.finding') : e;
      });
      const q = findingQuery(report, id);
      if (!q) throw new InvalidAction(`source.finding: report ${report.name} has no finding ${id}; its findings: ${report.queries.map((x) => x.id).join(', ')}`, 'source.finding');
      return {
        label: `${report.title}: ${q.title}`,
        sql: q.detailSql ?? q.chartSql,
        severity: q.severity,
        keyColumns: declaredKey ?? (q.entityColumns.length > 0 ? q.entityColumns : undefined),
        finding: { report: report.name, id: q.id, entityColumns: q.entityColumns },
      };
    }
    const name = spec.source.audit_query;
    const saved = await queries.get(name).catch((e: unknown) => {
      throw e instanceof NotFound ? new InvalidAction(`source.audit_query: there is no saved audit query named ${name}`, 'source.audit_query') : e;
    });
    return { label: `Audit query ${saved.title}`, sql: saved.sql, keyColumns: declaredKey };
  }

  /** The newest firings of a rule first (keys start with the inverted slot time). */
  async function listStored(rule: string, limit: number): Promise<StoredFiring[]> {
    return readNewestFirst(store, actionKeys.firingsPrefix(rule), {
      limit,
      parse: (v) => {
        const parsed = StoredFiring.safeParse(v);
        if (!parsed.success) logger.warn({ rule, id: (v as { id?: unknown } | null)?.id }, 'a firing record does not parse; skipped');
        return parsed.data;
      },
    });
  }
  const list = async (rule: string, limit = 50): Promise<Firing[]> => (await listStored(rule, limit)).map((f) => Firing.parse(f));

  async function get(rule: string, id: string): Promise<Firing> {
    const parsed = parseFiringId(id);
    if (!parsed || parsed.rule !== rule) throw new NotFound(`response action ${rule} has no firing ${id}`);
    try {
      return Firing.parse((await store.getJson(actionKeys.firing(rule, parsed.suffix))).value);
    } catch (e) {
      if (e instanceof ObjectNotFound) throw new NotFound(`response action ${rule} has no firing ${id}`);
      throw e;
    }
  }

  /** Row keys sent by this rule's firings, except those that failed to reach any destination (sent again next time). */
  async function sentKeys(rule: string): Promise<Set<string>> {
    const keys = new Set<string>();
    for await (const info of store.list(actionKeys.sentPrefix(rule))) {
      // Sent records are written once and never change: each is read once per process.
      let sent = sentRecords.get(info.key);
      if (!sent) {
        sent = (await store.getJson<SentRecord>(info.key)).value;
        sentRecords.set(info.key, sent);
      }
      let state = finalStates.get(sent.firingId);
      if (!state) {
        const parsed = parseFiringId(sent.firingId);
        const firing = parsed ? await store.getJson<Firing>(actionKeys.firing(rule, parsed.suffix)).then((r) => r.value, () => undefined) : undefined;
        state = firing?.state;
        if (state && state !== 'RUNNING') finalStates.set(sent.firingId, state);
      }
      if (state === 'FAILED') continue;
      for (const k of sent.keys) keys.add(k);
    }
    return keys;
  }

  /** The window a firing covers: the rule's days ending today, or everything since its last scheduled firing (≤ 120 days). */
  async function windowFor(action: Pick<ResponseAction, 'window'> & { name?: string }): Promise<DateWindow> {
    const today = utcToday(now());
    if (action.window !== 'since_last_firing') return windowEndingOn(today, Number(action.window.replace('d', '')));
    const last = action.name ? (await list(action.name, 20)).find((f) => f.trigger === 'schedule' && f.state !== 'RUNNING') : undefined;
    if (!last) return windowEndingOn(today, 7);
    const days = Math.min(120, Math.max(1, Math.round((Date.parse(today) - Date.parse(last.window.end)) / 86_400_000) + 1));
    return windowEndingOn(today, days);
  }

  async function evaluate(action: Pick<ResponseAction, 'source' | 'condition' | 'window' | 'response'> & { name?: string }, intent: string, opts: { countSent: boolean }): Promise<Evaluation & { source: ResolvedSource }> {
    const source = await resolveSource(action);
    const window = await windowFor(action);
    const result = await executions.runToCompletion(serviceCaller('response-action'), { sql: source.sql, window, intent: [intent] });
    const columns = result.columns.map((c) => c.name);
    if (action.response && !columns.includes('user')) {
      throw new InvalidAction(`response.teleport_lock: the rows of ${source.label} have no "user" column to lock (columns: ${columns.join(', ')})`, 'response.teleport_lock');
    }
    const missing = (source.keyColumns ?? []).filter((c) => !columns.includes(c));
    if (missing.length > 0) throw new InvalidAction(`condition.new_rows.key: the rows have no column ${missing.join(', ')} (columns: ${columns.join(', ')})`, 'condition.new_rows.key');
    const keyColumns = source.keyColumns ?? columns;
    let rows = result.rows;
    let suppressedRows = 0;
    if (source.finding && deps.suppressedEntities && source.finding.entityColumns.length > 0) {
      const excepted = await deps.suppressedEntities(source.finding.report, source.finding.id);
      const kept = rows.filter((r) => !excepted.has(entityKeyOf(source.finding!.entityColumns, r)));
      suppressedRows = rows.length - kept.length;
      rows = kept;
    }
    const keyed = rows.map((row) => ({ key: digest(entityKeyOf(keyColumns, row)), row }));
    let send: typeof keyed;
    let repeatedRows = 0;
    let alreadySentRows = 0;
    if ('new_rows' in action.condition) {
      const before = opts.countSent && action.name ? await sentKeys(action.name) : new Set<string>();
      const seen = new Set<string>();
      send = keyed.filter(({ key }) => {
        if (before.has(key)) alreadySentRows++;
        else if (seen.has(key)) repeatedRows++;
        else return seen.add(key);
        return false;
      });
    } else {
      send = keyed.length >= action.condition.row_count_at_least ? keyed : [];
    }
    return { source, window, executionId: result.status.id, columns, totalRows: result.rows.length, suppressedRows, keyColumns, repeatedRows, alreadySentRows, send };
  }

  /** Rewrites the firing record through compare-and-swap until it sticks (heartbeats and the final state never race). */
  async function update(rule: string, suffix: string, change: (f: StoredFiring) => StoredFiring | undefined): Promise<StoredFiring | undefined> {
    for (;;) {
      const { value, info } = await store.getJson<StoredFiring>(actionKeys.firing(rule, suffix));
      const next = change(StoredFiring.parse(value));
      if (!next) return undefined;
      try {
        await store.put(actionKeys.firing(rule, suffix), JSON.stringify(next), { ifMatch: info.etag, contentType: 'application/json' });
        return next;
      } catch (e) {
        if (!(e instanceof PreconditionFailed)) throw e;
      }
    }
  }

  /** Delivers a computed payload to every notification and runs the response; the final state. */
  async function deliverAndRespond(action: ResponseAction, firing: Firing, sent: SentRecord, source: Pick<ResolvedSource, 'label' | 'severity'>, signal?: AbortSignal): Promise<Pick<Firing, 'state' | 'deliveries' | 'responses'>> {
    const message: DeliveryMessage = {
      firingId: firing.id,
      idempotencyKey: firing.id,
      rule: { name: action.name, description: action.description, ...(source.severity ? { severity: source.severity } : {}) },
      source: source.label,
      window: firing.window,
      totalNewRows: sent.totalNewRows,
      columns: sent.columns,
      rows: sent.rows,
      link: link(`/actions/${action.name}?firing=${encodeURIComponent(firing.id)}`),
      dedupKeys: sent.keys.slice(0, sent.rows.length).map((k) => `${action.name}:${k}`),
    };
    const deliveries: DestinationDelivery[] = await Promise.all(
      action.notifications.map(async (n) => {
        const destination = config.destinations[n.name];
        if (!destination) {
          return { destination: n.name, type: 'unknown', state: 'FAILED' as const, attempts: [{ at: now().toISOString(), durationMs: 0, error: `destination ${n.name} is not declared under actions.destinations` }] };
        }
        const outcome = await deliver({ name: n.name, config: destination }, message, {
          settings: config,
          recipients: n.recipients,
          ...(signal ? { signal } : {}),
          ...(deps.sleep ? { sleep: deps.sleep } : {}),
          ...(deps.random ? { random: deps.random } : {}),
        });
        deps.metrics?.actionDeliveries.inc({ type: destination.type, state: outcome.state });
        return outcome;
      }),
    );
    let responses: ResponseRecord[] = [];
    if (action.response) {
      const lock = action.response.teleport_lock;
      // A test fire never locks anyone: it shows what would have been run.
      const dryRun = lock.dry_run || firing.trigger === 'test';
      responses = await lockUsers(sent.lockUsers, { rule: action.name, ttl: lock.ttl, ...(lock.message ? { message: lock.message } : {}), dryRun }, config.tctl, deps.tctlRunner);
    }
    const delivered = deliveries.filter((d) => d.state === 'DELIVERED').length;
    const state = delivered === deliveries.length ? 'DELIVERED' : delivered > 0 ? 'PARTIALLY_DELIVERED' : 'FAILED';
    return { state, deliveries, responses };
  }

  async function finish(action: ResponseAction, suffix: string, end: Partial<Firing> & Pick<Firing, 'state'>): Promise<Firing> {
    const done = await update(action.name, suffix, ({ owner: _owner, ...f }) => ({ ...f, ...end, finishedAt: now().toISOString() }));
    deps.metrics?.actionFirings.inc({ state: end.state, trigger: done!.trigger });
    // The audit record of a firing, like a query execution's.
    logger.info(
      { audit: 'response_action.fired', rule: action.name, firingId: done!.id, trigger: done!.trigger, state: done!.state, sentRows: done!.sentRows, deliveries: done!.deliveries.map((d) => ({ destination: d.destination, state: d.state, attempts: d.attempts.length })) },
      'response action fired',
    );
    return Firing.parse(done);
  }

  /**
   * Fires a rule for a slot (scheduled) or now (manual, test). Resolves to undefined when another
   * instance (or an earlier tick) already claimed the slot. Never rejects for a rule's own faults:
   * they end the firing FAILED with the reason.
   */
  async function fire(action: ResponseAction, trigger: Firing['trigger'], slot: Date, opts: { startedBy?: string; signal?: AbortSignal } = {}): Promise<Firing | undefined> {
    const suffix = trigger === 'schedule' ? actionKeys.scheduledSuffix(slot) : actionKeys.manualSuffix(slot, trigger, randomBytes(4).toString('hex'));
    const id = firingIdOf(action.name, suffix);
    const startedAt = now().toISOString();
    const claim: StoredFiring = {
      id,
      rule: action.name,
      ruleRevision: action.revision,
      trigger,
      slot: slot.toISOString(),
      state: 'RUNNING',
      window: windowEndingOn(utcToday(now()), 1),
      startedAt,
      ...(opts.startedBy ? { startedBy: opts.startedBy } : {}),
      totalRows: 0,
      suppressedRows: 0,
      sentRows: 0,
      deliveries: [],
      responses: [],
      owner: { instance: instanceId, process: processId, heartbeatAt: startedAt },
    };
    try {
      await store.put(actionKeys.firing(action.name, suffix), JSON.stringify(claim), { ifNoneMatch: '*', contentType: 'application/json' });
    } catch (e) {
      if (e instanceof PreconditionFailed) return undefined;
      throw e;
    }
    const heartbeat = setInterval(() => {
      void update(action.name, suffix, (f) => (f.state === 'RUNNING' ? { ...f, owner: { instance: instanceId, process: processId, heartbeatAt: now().toISOString() } } : undefined)).catch((err: unknown) =>
        logger.warn({ err, firingId: id }, 'could not refresh a firing heartbeat'),
      );
    }, heartbeatMs);
    heartbeat.unref();
    try {
      let evaluation: Awaited<ReturnType<typeof evaluate>>;
      try {
        evaluation = await evaluate(action, id, { countSent: true });
      } catch (err) {
        logger.warn({ err, rule: action.name, firingId: id }, 'a response action could not be evaluated');
        return await finish(action, suffix, { state: 'FAILED', error: err instanceof Error ? err.message : String(err) });
      }
      const counts = { window: evaluation.window, executionId: evaluation.executionId, totalRows: evaluation.totalRows, suppressedRows: evaluation.suppressedRows, sentRows: evaluation.send.length };
      if (evaluation.send.length === 0) return await finish(action, suffix, { state: 'NOTHING_TO_SEND', ...counts });
      const rows = evaluation.send.map((s) => s.row);
      const sent: SentRecord = {
        firingId: id,
        columns: evaluation.columns,
        keys: evaluation.send.map((s) => s.key),
        rows: rows.slice(0, config.max_rows_per_message),
        totalNewRows: rows.length,
        lockUsers: [...new Set(rows.map((r) => (r.user === null || r.user === undefined ? '' : String(r.user))).filter((u) => u !== ''))],
      };
      const body = JSON.stringify(sent);
      // Test fires send, but their rows stay new for the real firings.
      if (trigger !== 'test') await store.put(actionKeys.sent(action.name, suffix), body, { ifNoneMatch: '*', contentType: 'application/json' });
      await update(action.name, suffix, (f) => ({ ...f, ...counts, payloadSha256: digest(body) }));
      const outcome = await deliverAndRespond(action, { ...claim, ...counts }, sent, evaluation.source, opts.signal);
      return await finish(action, suffix, outcome);
    } catch (err) {
      logger.error({ err, rule: action.name, firingId: id }, 'a response action firing failed');
      return await finish(action, suffix, { state: 'FAILED', error: err instanceof Error ? err.message : String(err) }).catch(() => undefined);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * Firings left RUNNING by a process that stopped: re-delivered under their own id when their rows were
   * already computed, else marked FAILED (their rows were not counted as sent, so the next firing sends them).
   */
  async function recover(actions: readonly ResponseAction[], signal?: AbortSignal): Promise<Firing[]> {
    const recovered: Firing[] = [];
    for (const action of actions) {
      for (const f of await listStored(action.name, 5)) {
        if (f.state !== 'RUNNING') continue;
        const { owner } = f;
        const live = owner && owner.process !== processId && owner.instance !== instanceId && now().getTime() - Date.parse(owner.heartbeatAt) < heartbeatMs * 4;
        if (live || owner?.process === processId) continue;
        const suffix = parseFiringId(f.id)!.suffix;
        const sent = await store.getJson<SentRecord>(actionKeys.sent(action.name, suffix)).then((r) => r.value, () => undefined);
        logger.warn({ rule: action.name, firingId: f.id, resumable: sent !== undefined }, 'a response action firing was interrupted by a restart');
        if (!sent) {
          recovered.push(await finish(action, suffix, { state: 'FAILED', error: 'interrupted by a restart before its rows were computed; the next firing sends them' }));
          continue;
        }
        const source = await resolveSource(action).catch(() => ({ label: 'source' }) as ResolvedSource);
        const outcome = await deliverAndRespond(action, f, sent, source, signal);
        recovered.push(await finish(action, suffix, outcome));
      }
    }
    return recovered;
  }

  /** What a rule (saved or a draft) would send with today's data; sends nothing and records no firing. */
  async function preview(draft: SaveResponseAction & { name?: string }): Promise<ActionPreview> {
    const e = await evaluate(draft, `preview-${randomUUID()}`, { countSent: draft.name !== undefined });
    const rows = e.send.map((s) => s.row);
    return {
      window: e.window,
      totalRows: e.totalRows,
      suppressedRows: e.suppressedRows,
      sendRows: rows.length,
      keyColumns: 'new_rows' in draft.condition ? [...e.keyColumns] : [],
      repeatedRows: e.repeatedRows,
      alreadySentRows: e.alreadySentRows,
      destinations: draft.notifications.map((n) => n.name),
      columns: e.columns,
      rows: rows.slice(0, config.max_rows_per_message),
      lockUsers: draft.response ? [...new Set(rows.map((r) => String(r.user ?? '')).filter((u) => u !== ''))] : [],
    };
  }

  return { fire, list, get, recover, preview, resolveSource };
}
export type ActionFirings = ReturnType<typeof createActionFirings>;
