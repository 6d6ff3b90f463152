import type { DateWindow, ExecutionOrigin } from '@access-monitor/contracts';
import { CorruptObject, PreconditionFailed, type ObjectStore } from '@access-monitor/storage';
import { executionKeys } from '../store-layout';

/** What is recorded when a query starts, like Teleport's `secreports.audit.query.run`. */
export interface ExecutionRecord {
  id: string;
  user: string;
  sql: string;
  window: DateWindow;
  engine: string;
  submittedAt: string;
  /** The saved query the SQL came from, when it did. */
  query?: string;
  /** Absent in records written before origins were recorded: those were all interactive. */
  origin?: ExecutionOrigin;
  /** The person a service execution ran for (a report run started from the UI). */
  onBehalfOf?: string;
}

/** A page of history, newest first; `nextCursor` (opaque) when more may follow. */
export interface HistoryPage {
  records: ExecutionRecord[];
  nextCursor?: string;
}

export interface HistoryQuery {
  /** One user's records, or everyone's when undefined. */
  user?: string;
  limit: number;
  matches?: (r: ExecutionRecord) => boolean;
  /** A previous page's `nextCursor`. */
  cursor?: string;
}

export interface ExecutionLog {
  record(r: ExecutionRecord): Promise<void>;
  /** A page of history, reading only the records on it (a filter reads at most `MAX_SCANNED_PER_PAGE`). */
  page(q: HistoryQuery): Promise<HistoryPage>;
  /** The first page's records. */
  list(q: Omit<HistoryQuery, 'cursor'>): Promise<ExecutionRecord[]>;
  /** The record of one execution (who started it), by id. */
  owner(id: string): Promise<ExecutionRecord | undefined>;
}

/** A filtered page stops after reading this many records, and hands back a cursor to go on from. */
export const MAX_SCANNED_PER_PAGE = 1000;

/**
 * The history is kept twice, both newest-first by key (the store lists lexicographically and never
 * deletes): per user (`executions/<user>/…`) and for everyone (`execution-timeline/…`), so either list is
 * a key-ordered listing from a cursor that reads only one page's records.
 */
export function createExecutionLog(store: ObjectStore, opts: { maxScannedPerPage?: number } = {}): ExecutionLog {
  const maxScanned = opts.maxScannedPerPage ?? MAX_SCANNED_PER_PAGE;
  let timeline: Promise<void> | undefined;

  /**
   * Records written before the everyone-timeline existed are copied into it once (create-only, so instances
   * may race); concurrent requests of this instance share one copy, and a failed one is tried again later.
   */
  function ensureTimeline(): Promise<void> {
    timeline ??= (async () => {
      if (await store.head(executionKeys.timelineBackfilled)) return;
      for await (const info of store.list(executionKeys.allPrefix)) {
        const r = await readRecord(info.key);
        if (r) await createOnce(executionKeys.timeline(Date.parse(r.submittedAt), r.id), r);
      }
      await createOnce(executionKeys.timelineBackfilled, { at: new Date().toISOString() });
    })().catch((e: unknown) => {
      timeline = undefined;
      throw e;
    });
    return timeline;
  }

  async function readRecord(key: string): Promise<ExecutionRecord | undefined> {
    try {
      const { value } = await store.getJson<ExecutionRecord>(key);
      return value && typeof value === 'object' && typeof value.id === 'string' && typeof value.submittedAt === 'string' ? value : undefined;
    } catch (e) {
      if (e instanceof CorruptObject) return undefined; // one bad object never hides the others
      throw e;
    }
  }

  // Create-only, and a retried intent recording the same execution again is not an error.
  const createOnce = (key: string, value: unknown) =>
    store.put(key, JSON.stringify(value), { ifNoneMatch: '*', contentType: 'application/json' }).then(
      () => undefined,
      (e: unknown) => {
        if (!(e instanceof PreconditionFailed)) throw e;
      },
    );

  async function page({ user, limit, matches, cursor }: HistoryQuery): Promise<HistoryPage> {
    if (user === undefined) await ensureTimeline();
    const prefix = user === undefined ? executionKeys.timelinePrefix : executionKeys.userPrefix(user);
    const records: ExecutionRecord[] = [];
    // Unfiltered: one key past the page tells whether there is more. Filtered: a bounded scan.
    const listed = store.list(prefix, { ...(cursor ? { startAfter: `${prefix}${cursor}.json` } : {}), limit: matches ? maxScanned : limit + 1 });
    let last: string | undefined;
    let scanned = 0;
    let more = false;
    for await (const info of listed) {
      if (!matches && records.length >= limit) {
        more = true;
        break;
      }
      scanned++;
      last = info.key;
      const r = await readRecord(info.key);
      if (r && (!matches || matches(r))) records.push(r);
      if (matches && records.length >= limit) {
        more = true;
        break;
      }
    }
    if (matches && scanned >= maxScanned) more = true;
    return more && last ? { records, nextCursor: last.slice(prefix.length, -'.json'.length) } : { records };
  }

  return {
    async record(r) {
      await createOnce(executionKeys.owner(r.id), r);
      await createOnce(executionKeys.record(r.user, Date.parse(r.submittedAt), r.id), r);
      await createOnce(executionKeys.timeline(Date.parse(r.submittedAt), r.id), r);
    },
    page,
    async list(q) {
      return (await page(q)).records;
    },
    async owner(id) {
      const info = await store.head(executionKeys.owner(id));
      return info ? (await store.getJson<ExecutionRecord>(info.key)).value : undefined;
    },
  };
}
