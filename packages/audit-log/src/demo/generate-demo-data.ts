import { IsoDate, windowDates, windowEndingOn } from '@access-monitor/contracts';
import { AthenaParquetWriter, type FlushResult } from '../parquet/athena-parquet-writer';
import { emitDailyTraffic } from './daily-traffic';
import { DAY_MS, DemoDay, dayWeight } from './demo-day';
import { EventStamp, type DemoEvent } from './event-builders';
import { plantFindings } from './planted-findings';
import { createRng } from './prng';

export interface DemoDataOptions {
  /** Folder to write `<YYYY-MM-DD>/<chunk>.parquet` into; chunks are added, never replaced. */
  out: string;
  days: number;
  /** Approximate total across the window, spread over days with a weekly rhythm. */
  events: number;
  seed: number;
  /** Last UTC date of the window (YYYY-MM-DD), inclusive. */
  end: string;
  /** Called after each day is handed to the writer, with days done and days in total. */
  onProgress?: (done: number, total: number) => void;
}

export interface DemoDataResult {
  events: number;
  files: number;
  days: number;
}

/**
 * Writes a deterministic demo audit log in Teleport's Athena layout: the same seed, days,
 * events and end give identical event JSON.
 */
export async function generateDemoData(options: DemoDataOptions): Promise<DemoDataResult> {
  const { out, days, events, seed, end, onProgress } = options;
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a positive integer, got ${days}`);
  if (!Number.isFinite(events) || events < 0) throw new RangeError(`events must be a non-negative number, got ${events}`);
  if (!IsoDate.safeParse(end).success) throw new RangeError(`end must be a date as YYYY-MM-DD, got ${JSON.stringify(end)}`);

  const dates = windowDates(windowEndingOn(end, days));
  const dayStarts = dates.map((d) => Date.parse(`${d}T00:00:00Z`));
  const weights = dayStarts.map(dayWeight);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const windowEndMs = dayStarts[dayStarts.length - 1]! + DAY_MS - 1;
  const stamp = new EventStamp(createRng(seed));

  const writer = await AthenaParquetWriter.open(out);
  let written = 0;
  let files = 0;
  const count = (flushed: FlushResult): void => {
    written += flushed.written;
    files += flushed.chunks.length;
  };
  // DuckDB writes one day while the next is generated here.
  let writing: Promise<FlushResult> | undefined;
  const handOff = async (): Promise<void> => {
    if (writing) count(await writing);
    writing = (await writer.startFlush()).written;
    writing.catch(() => undefined); // awaited at the next hand-off or the end
  };
  // Sessions that start late in a UTC day end in the next one; hold them back so each
  // date folder gets a single chunk.
  let spill: DemoEvent[] = [];
  try {
    for (let i = 0; i < dates.length; i++) {
      const nextDayStart = dayStarts[i]! + DAY_MS;
      const later: DemoEvent[] = [];
      const appendOrHold = (event: DemoEvent): void => {
        if (event.eventTimeMs >= nextDayStart) later.push(event);
        else writer.appendCleanRow(event);
      };
      for (const event of spill) appendOrHold(event);
      const day = new DemoDay(stamp, dayStarts[i]!, windowEndMs, appendOrHold);
      plantFindings(day);
      emitDailyTraffic(day, Math.round((events * weights[i]!) / totalWeight));
      spill = later;
      await handOff();
      onProgress?.(i + 1, dates.length);
    }
    // DemoDay.clamp keeps everything inside the window, so nothing should be left; be safe.
    for (const event of spill) writer.appendCleanRow(event);
    await handOff();
    count(await writing!);
  } finally {
    writer.close();
  }
  return { events: written, files, days: dates.length };
}
