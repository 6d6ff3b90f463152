// Generates and writes a run of consecutive demo days: the unit of work of one thread (see
// generate-demo-data.ts). Every day draws from its own PRNG stream, so a range gives the same
// events whichever thread runs it and whatever other ranges exist.
import { AthenaParquetWriter, type FlushResult } from '../parquet/athena-parquet-writer';
import { emitDailyTraffic } from './daily-traffic';
import { DAY_MS, DemoDay } from './demo-day';
import { EventStamp, type DemoEvent } from './event-builders';
import { plantFindings } from './planted-findings';
import { dayRng } from './prng';

/** One UTC day of the window and the everyday traffic it gets. */
export interface PlannedDay {
  date: string;
  startMs: number;
  events: number;
}

export interface DayRange {
  out: string;
  seed: number;
  /** Last millisecond of the whole window: follow-up events are clamped to it. */
  windowEndMs: number;
  days: PlannedDay[];
  /**
   * The window's day before `days`, if any: generated again here, only for its sessions that end
   * in `days[0]`, so that day's folder still gets a single chunk.
   */
  dayBefore?: PlannedDay;
}

export interface RangeTotals {
  events: number;
  files: number;
}

/** Emits one day's events (planted findings, then everyday traffic) to `sink`. */
export function generateDay(seed: number, day: PlannedDay, windowEndMs: number, sink: (event: DemoEvent) => void): void {
  const demoDay = new DemoDay(new EventStamp(dayRng(seed, day.date)), day.startMs, windowEndMs, sink);
  plantFindings(demoDay);
  emitDailyTraffic(demoDay, day.events);
}

/**
 * Writes the range's days, one chunk per date folder; `onDay` is called as each day is handed to
 * the writer. Stops before the next day once `stopped()` says so (another range failed).
 */
export async function generateDayRange(range: DayRange, onDay: () => void = () => {}, stopped: () => boolean = () => false): Promise<RangeTotals> {
  const { days, seed, windowEndMs } = range;
  const totals: RangeTotals = { events: 0, files: 0 };
  // Sessions that start late in a UTC day end in the next one; they wait for that day's chunk.
  let spill: DemoEvent[] = [];
  if (range.dayBefore !== undefined && days.length > 0) {
    const from = days[0]!.startMs;
    generateDay(seed, range.dayBefore, windowEndMs, (event) => {
      if (event.eventTimeMs >= from) spill.push(event);
    });
  }
  const writer = await AthenaParquetWriter.open(range.out);
  const count = (flushed: FlushResult): void => {
    totals.events += flushed.written;
    totals.files += flushed.chunks.length;
  };
  // DuckDB writes one day while the next is generated here.
  let writing: Promise<FlushResult> | undefined;
  const handOff = async (): Promise<void> => {
    if (writing) count(await writing);
    writing = (await writer.startFlush()).written;
    writing.catch(() => undefined); // awaited at the next hand-off or the end
  };
  try {
    for (const day of days) {
      if (stopped()) break;
      const nextDayStart = day.startMs + DAY_MS;
      const later: DemoEvent[] = [];
      const appendOrHold = (event: DemoEvent): void => {
        if (event.eventTimeMs < nextDayStart) writer.appendCleanRow(event);
        // A range regenerates only the one day before it: nothing may reach two days ahead.
        else if (event.eventTimeMs >= nextDayStart + DAY_MS) throw new RangeError(`a ${event.eventType} of ${day.date} ends more than a day later`);
        else later.push(event);
      };
      for (const event of spill) writer.appendCleanRow(event);
      generateDay(seed, day, windowEndMs, appendOrHold);
      spill = later;
      await handOff();
      onDay();
    }
    // What is left of `spill` belongs to the day after the range: the next range generates it again
    // (see dayBefore), and after the window's last day there is none (DemoDay.clamp).
    if (writing) count(await writing);
  } finally {
    writer.close();
  }
  return totals;
}
