import { z } from 'zod';
import { ReportWindowState, type WindowDays } from '@access-monitor/contracts';
import { CorruptObject, ObjectNotFound, PreconditionFailed, type ObjectStore } from '@access-monitor/storage';
import { reportKeys } from '../store-layout';

/** Who is running a RUNNING state: a live owner refreshes `heartbeatAt`; a stale or restarted one is recovered. */
const Owner = z.object({ instance: z.string(), process: z.string(), heartbeatAt: z.string() });
export type Owner = z.infer<typeof Owner>;

/** `report-states/<report>/<days>d.json`: the API's window state plus the owner of a run in progress. */
export const StoredState = ReportWindowState.extend({ owner: Owner.optional(), window: z.object({ start: z.string(), end: z.string() }).optional() });
export type StoredState = z.infer<typeof StoredState>;

export interface VersionedState {
  /** undefined when the object exists but is unreadable (it is then overwritten on the next transition). */
  state: StoredState | undefined;
  etag: string;
}

/**
 * Report × window states, changed only by conditional puts (create-only or If-Match), so two instances
 * never overwrite each other's transition: the loser re-reads and decides again.
 */
export function createReportStates(store: ObjectStore) {
  async function read(report: string, days: number): Promise<VersionedState | undefined> {
    const key = reportKeys.state(report, days);
    try {
      const { value, info } = await store.getJson<unknown>(key);
      const parsed = StoredState.safeParse(value);
      return { state: parsed.success ? parsed.data : undefined, etag: info.etag };
    } catch (e) {
      if (e instanceof ObjectNotFound) return undefined;
      if (e instanceof CorruptObject) {
        const info = await store.head(key);
        return info ? { state: undefined, etag: info.etag } : undefined;
      }
      throw e;
    }
  }

  /** Writes `next` only if the object is still at `etag` (absent when `etag` is undefined); the new etag, or undefined when it lost. */
  async function write(next: StoredState, etag: string | undefined): Promise<string | undefined> {
    try {
      const info = await store.put(reportKeys.state(next.report, next.days), JSON.stringify(next), {
        ...(etag === undefined ? { ifNoneMatch: '*' as const } : { ifMatch: etag }),
        contentType: 'application/json',
      });
      return info.etag;
    } catch (e) {
      if (e instanceof PreconditionFailed) return undefined;
      throw e;
    }
  }

  return {
    read,
    write,
    /**
     * Read-modify-write until the write wins. `change` sees the current state and returns the next one,
     * or undefined to leave it as it is (then nothing is written and undefined is returned).
     */
    async update(report: string, days: WindowDays, change: (current: StoredState | undefined) => StoredState | undefined): Promise<StoredState | undefined> {
      for (let attempt = 0; attempt < 20; attempt++) {
        const current = await read(report, days);
        const next = change(current?.state);
        if (!next) return undefined;
        if ((await write(next, current?.etag)) !== undefined) return next;
      }
      throw new Error(`report state ${report}/${days}d keeps changing under concurrent writers`);
    },
  };
}
export type ReportStates = ReturnType<typeof createReportStates>;

/** The API's view of a state: no owner bookkeeping. */
export function presentState(report: string, days: WindowDays, stored: StoredState | undefined): ReportWindowState {
  if (!stored) return { report, days, state: 'NEVER_RUN' };
  const { owner: _owner, window: _window, ...state } = stored;
  return state;
}
