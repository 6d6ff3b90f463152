import type { DateWindow, ExecutionOrigin } from '@access-monitor/contracts';
import { PreconditionFailed, type ObjectStore } from '@access-monitor/storage';

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

const MAX_TIME = 9_999_999_999_999;

/** Newest-first keys: the object store lists lexicographically and never deletes. */
function keyOf(r: Pick<ExecutionRecord, 'user' | 'id' | 'submittedAt'>): string {
  const inverted = String(MAX_TIME - Date.parse(r.submittedAt)).padStart(13, '0');
  return `executions/${encodeURIComponent(r.user)}/${inverted}-${r.id}.json`;
}

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
      await once(`execution-owners/${r.id}.json`);
      await once(keyOf(r));
    },
    async list({ user, limit, matches }) {
      const prefix = user === undefined ? 'executions/' : `executions/${encodeURIComponent(user)}/`;
      const out: ExecutionRecord[] = [];
      for await (const info of store.list(prefix)) {
        const { value } = await store.getJson<ExecutionRecord>(info.key);
        if (!matches || matches(value)) out.push(value);
        if (user !== undefined && out.length >= limit) break;
      }
      // Across users the per-user folders interleave: order by time before cutting.
      return out.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt)).slice(0, limit);
    },
    async owner(id) {
      const info = await store.head(`execution-owners/${id}.json`);
      return info ? (await store.getJson<ExecutionRecord>(info.key)).value : undefined;
    },
  };
}
