import type { DateWindow, ExecutionOrigin } from '@access-monitor/contracts';
import { PreconditionFailed, type ObjectStore } from '@access-monitor/storage';
import { readNewestFirst } from '../revisions/newest-first-log';
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

/** Newest-first keys: the object store lists lexicographically and never deletes. */
const keyOf = (r: Pick<ExecutionRecord, 'user' | 'id' | 'submittedAt'>): string => executionKeys.record(r.user, Date.parse(r.submittedAt), r.id);

export interface ExecutionLog {
  record(r: ExecutionRecord): Promise<void>;
  /** One user's records, or everyone's when user is undefined, newest first. */
  list(opts: { user?: string; limit: number; matches?: (r: ExecutionRecord) => boolean }): Promise<ExecutionRecord[]>;
  /** The record of one execution (who started it), by id. */
  owner(id: string): Promise<ExecutionRecord | undefined>;
}

export function createExecutionLog(store: ObjectStore): ExecutionLog {
  return {
    async record(r) {
      // Create-only, and a retried intent recording the same execution again is not an error.
      const once = (key: string) =>
        store.put(key, JSON.stringify(r), { ifNoneMatch: '*', contentType: 'application/json' }).catch((e: unknown) => {
          if (!(e instanceof PreconditionFailed)) throw e;
        });
      await once(executionKeys.owner(r.id));
      await once(keyOf(r));
    },
    async list({ user, limit, matches }) {
      const parse = (v: unknown) => v as ExecutionRecord;
      if (user !== undefined) return readNewestFirst(store, executionKeys.userPrefix(user), { limit, parse, ...(matches ? { matches } : {}) });
      // Across users the per-user folders interleave: every user's newest, then ordered by time before cutting.
      const out = await readNewestFirst(store, executionKeys.allPrefix, { limit: Number.MAX_SAFE_INTEGER, parse, ...(matches ? { matches } : {}) });
      return out.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt)).slice(0, limit);
    },
    async owner(id) {
      const info = await store.head(executionKeys.owner(id));
      return info ? (await store.getJson<ExecutionRecord>(info.key)).value : undefined;
    },
  };
}
