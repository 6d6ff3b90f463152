import type { DateWindow } from '@access-monitor/contracts';
import type { QueryEngine } from '@access-monitor/engine';
import { ObjectNotFound, PreconditionFailed, type ObjectStore } from '@access-monitor/storage';
import { ScanBudgetExhausted } from './execution-errors';
import { scanBudgetKeys } from '../store-layout';

export interface ScanBudgetLimit {
  bytes: number;
  refillAfterMs: number;
}

/** What the budget of the current period looks like. */
export interface ScanBudgetState {
  bytes: number;
  usedBytes: number;
  leftBytes: number;
  refillsAt: string;
}

interface PeriodRecord {
  usedBytes: number;
}

/** Concurrent reservations from several instances retry their compare-and-swap this often before giving up. */
const MAX_ATTEMPTS = 20;

/**
 * Bytes the engine may scan per period (`limits.scan_budget`), like Teleport's cost limiter, shared by every
 * instance through one store object per period: a query reserves its window's estimated bytes before it
 * starts (compare-and-swap), and is refused with a Retry-After of the refill once the budget would be overdrawn.
 */
export function createScanBudget(deps: { store: ObjectStore; engine: QueryEngine; limit: ScanBudgetLimit; now: () => Date }) {
  const { store, engine, limit, now } = deps;

  const periodStart = (at: number) => Math.floor(at / limit.refillAfterMs) * limit.refillAfterMs;

  async function read(startMs: number): Promise<{ usedBytes: number; etag?: string }> {
    try {
      const { value, info } = await store.getJson<PeriodRecord>(scanBudgetKeys.period(startMs));
      return { usedBytes: Number.isFinite(value.usedBytes) ? value.usedBytes : 0, etag: info.etag };
    } catch (e) {
      if (e instanceof ObjectNotFound) return { usedBytes: 0 };
      throw e;
    }
  }

  function exhausted(startMs: number, usedBytes: number, wantBytes: number): ScanBudgetExhausted {
    const refillsAt = startMs + limit.refillAfterMs;
    const retryAfter = Math.max(1, Math.ceil((refillsAt - now().getTime()) / 1000));
    return new ScanBudgetExhausted(
      retryAfter,
      `the scan budget (limits.scan_budget) has ${Math.max(0, limit.bytes - usedBytes)} of ${limit.bytes} bytes left and this query would scan ${wantBytes}; it refills at ${new Date(refillsAt).toISOString()}`,
    );
  }

  /** Charges the window's estimated bytes to the current period, or throws ScanBudgetExhausted. */
  async function reserve(window: DateWindow): Promise<void> {
    const want = engine.estimateBytes ? await engine.estimateBytes(window) : 0;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const startMs = periodStart(now().getTime());
      const current = await read(startMs);
      if (current.usedBytes >= limit.bytes || current.usedBytes + want > limit.bytes) throw exhausted(startMs, current.usedBytes, want);
      try {
        await store.put(scanBudgetKeys.period(startMs), JSON.stringify({ usedBytes: current.usedBytes + want } satisfies PeriodRecord), current.etag ? { ifMatch: current.etag } : { ifNoneMatch: '*' });
        return;
      } catch (e) {
        if (!(e instanceof PreconditionFailed)) throw e;
      }
    }
    throw new ScanBudgetExhausted(1, `the scan budget (limits.scan_budget) lost ${MAX_ATTEMPTS} concurrent updates in a row; try again in a second`);
  }

  /** Throws ScanBudgetExhausted when nothing is left, so a report refresh is refused before it starts. */
  async function ensureLeft(): Promise<void> {
    const startMs = periodStart(now().getTime());
    const { usedBytes } = await read(startMs);
    if (usedBytes >= limit.bytes) throw exhausted(startMs, usedBytes, 0);
  }

  async function state(): Promise<ScanBudgetState> {
    const startMs = periodStart(now().getTime());
    const { usedBytes } = await read(startMs);
    return { bytes: limit.bytes, usedBytes, leftBytes: Math.max(0, limit.bytes - usedBytes), refillsAt: new Date(startMs + limit.refillAfterMs).toISOString() };
  }

  return { reserve, ensureLeft, state };
}
export type ScanBudget = ReturnType<typeof createScanBudget>;
