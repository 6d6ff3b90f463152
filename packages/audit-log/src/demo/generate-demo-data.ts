import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { IsoDate, windowDates, windowEndingOn } from '@access-monitor/contracts';
import type { DayRangeWorkerData, DayRangeWorkerMessage } from './day-range-worker';
import { DAY_MS, dayWeight } from './demo-day';
import { generateDayRange, type DayRange, type PlannedDay, type RangeTotals } from './generate-day-range';

export interface DemoDataOptions {
  /** Folder to write `<YYYY-MM-DD>/<chunk>.parquet` into; chunks are added, never replaced. */
  out: string;
  days: number;
  /** Approximate total across the window, spread over days with a weekly rhythm. */
  events: number;
  seed: number;
  /** Last UTC date of the window (YYYY-MM-DD), inclusive. */
  end: string;
  /**
   * Threads generating days side by side, each with its own Parquet writer; 1 generates on this
   * thread. Defaults to one per core (at most 4) from 200k events, below which starting them costs
   * more than it saves. The events do not depend on it.
   */
  workers?: number;
  /** Called after each day is handed to the writer, with days done and days in total. */
  onProgress?: (done: number, total: number) => void;
}

export interface DemoDataResult {
  events: number;
  files: number;
  days: number;
}

const MAX_DEFAULT_WORKERS = 4;
const WORKERS_FROM_EVENTS = 200_000;

/**
 * Writes a deterministic demo audit log in Teleport's Athena layout: the same seed, days,
 * events and end give identical event JSON, however many workers write it. Each date folder
 * gets one chunk, holding every event of that UTC date.
 */
export async function generateDemoData(options: DemoDataOptions): Promise<DemoDataResult> {
  const { out, days, events, seed, end, onProgress } = options;
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a positive integer, got ${days}`);
  if (!Number.isFinite(events) || events < 0) throw new RangeError(`events must be a non-negative number, got ${events}`);
  if (!IsoDate.safeParse(end).success) throw new RangeError(`end must be a date as YYYY-MM-DD, got ${JSON.stringify(end)}`);
  const workers = options.workers ?? (events >= WORKERS_FROM_EVENTS ? Math.min(os.availableParallelism(), MAX_DEFAULT_WORKERS) : 1);
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a positive integer, got ${workers}`);

  const dates = windowDates(windowEndingOn(end, days));
  const startsMs = dates.map((date) => Date.parse(`${date}T00:00:00Z`));
  const weights = startsMs.map(dayWeight);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const planned: PlannedDay[] = dates.map((date, i) => ({ date, startMs: startsMs[i]!, events: Math.round((events * weights[i]!) / totalWeight) }));
  const windowEndMs = startsMs[startsMs.length - 1]! + DAY_MS - 1;
  const ranges = splitIntoRanges(planned, workers).map((range): DayRange => ({ ...range, out, seed, windowEndMs }));

  let done = 0;
  const onDay = (): void => onProgress?.(++done, dates.length);
  const totals = ranges.length === 1 ? [await generateDayRange(ranges[0]!, onDay)] : await generateInWorkers(ranges, onDay);
  return { events: totals.reduce((n, t) => n + t.events, 0), files: totals.reduce((n, t) => n + t.files, 0), days: dates.length };
}

/** Consecutive days cut into at most `count` runs of about equal events, each with the day before it. */
function splitIntoRanges(days: PlannedDay[], count: number): Pick<DayRange, 'days' | 'dayBefore'>[] {
  const total = days.reduce((n, day) => n + day.events, 0);
  const ranges: Pick<DayRange, 'days' | 'dayBefore'>[] = [];
  let first = 0;
  let sum = 0;
  for (let i = 0; i < days.length; i++) {
    sum += days[i]!.events;
    const isLast = i === days.length - 1;
    if (isLast || (ranges.length < count - 1 && sum >= (total * (ranges.length + 1)) / count)) {
      ranges.push({ days: days.slice(first, i + 1), dayBefore: first > 0 ? days[first - 1] : undefined });
      first = i + 1;
    }
  }
  return ranges;
}

/**
 * Every event is a few short-lived strings: a young generation larger than V8's default means fewer
 * scavenges (about 8% less CPU in an A/B of 400k events on two workers).
 */
const WORKER_YOUNG_GENERATION_MB = 96;
const WORKER_ENTRY = new URL('./day-range-worker-entry.mjs', import.meta.url);
/** The worker module, in this module's own form (TypeScript from source, JavaScript once built). */
const WORKER_MODULE = new URL(`./day-range-worker${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`, import.meta.url);

/**
 * One worker thread per range. The first failure rejects, once the other workers have stopped (each
 * finishes the day it is on, so every chunk written is a whole day and nothing is written after).
 */
async function generateInWorkers(ranges: DayRange[], onDay: () => void): Promise<RangeTotals[]> {
  const stop = new SharedArrayBuffer(4);
  const runs = ranges.map((range) => runWorker({ module: WORKER_MODULE.href, range, stop }, onDay));
  try {
    return await Promise.all(runs);
  } catch (error) {
    Atomics.store(new Int32Array(stop), 0, 1);
    await Promise.allSettled(runs);
    throw error;
  }
}

function runWorker(data: DayRangeWorkerData, onDay: () => void): Promise<RangeTotals> {
  const { days } = data.range;
  const label = `demo days ${days[0]!.date}..${days[days.length - 1]!.date}`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_ENTRY, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    let totals: RangeTotals | undefined;
    let failure: unknown;
    worker.on('message', (message: DayRangeWorkerMessage) => {
      if ('day' in message) onDay();
      else totals = message.totals;
    });
    worker.on('error', (error) => (failure = error));
    // Settles on exit, once the worker's writer has closed its database and removed its staging files.
    worker.on('exit', (code) => {
      if (failure !== undefined) reject(new Error(`generating ${label} failed: ${String((failure as Error)?.message ?? failure)}`, { cause: failure }));
      else if (totals === undefined) reject(new Error(`generating ${label} failed: its worker exited with code ${code}`));
      else resolve(totals);
    });
  });
}
