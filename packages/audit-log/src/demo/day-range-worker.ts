// A worker thread's side of generateDemoData: generates one range of days and reports each day
// done, then its totals. An error rejects the module's top-level await, which the parent
// receives as the worker's 'error' event.
import { parentPort, workerData } from 'node:worker_threads';
import { generateDayRange, type DayRange, type RangeTotals } from './generate-day-range';

export interface DayRangeWorkerData {
  /** This module's URL, for the entry (day-range-worker-entry.mjs) to import. */
  module: string;
  range: DayRange;
  /** One Int32 the parent sets to 1 when another range failed: stop before the next day. */
  stop: SharedArrayBuffer;
}

export type DayRangeWorkerMessage = { day: true } | { totals: RangeTotals };

const { range, stop } = workerData as DayRangeWorkerData;
const stopFlag = new Int32Array(stop);
const post = (message: DayRangeWorkerMessage): void => parentPort!.postMessage(message);
const totals = await generateDayRange(
  range,
  () => post({ day: true }),
  () => Atomics.load(stopFlag, 0) === 1,
);
post({ totals });
