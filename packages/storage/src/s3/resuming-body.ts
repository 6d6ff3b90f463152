import { setTimeout as sleep } from 'node:timers/promises';
import { Readable } from 'node:stream';

/** A ranged read lost its connection and, when it asked for the rest, the object had been replaced. */
export class ObjectChangedDuringRead extends Error {
  override readonly name = 'ObjectChangedDuringRead';
  constructor(
    readonly key: string,
    /** The etag of the version the read began with. */
    readonly etag: string,
    /** How many bytes of that version had been delivered. */
    readonly delivered: number,
  ) {
    super(`object ${JSON.stringify(key)} was replaced while it was being read (after ${delivered} bytes of version ${etag})`);
  }
}

/**
 * Fetches bytes `from`..`end` (inclusive) of the version the read began with (a ranged GET pinned
 * with If-Match), rejecting with ObjectChangedDuringRead when that version is gone.
 */
export type FetchRemainder = (from: number, end: number) => Promise<AsyncIterable<Uint8Array>>;

export interface ResumingBodyOptions {
  /** Bytes `start`..`end` (inclusive) are expected; `first` delivers them from `start` on. */
  start: number;
  end: number;
  /** Consecutive breaks without a byte of progress before the stream gives up with the last error. */
  maxResumes: number;
}

/**
 * The body of a GET as one stream that survives broken connections: when `first` fails or ends
 * early, the rest is fetched from the byte after the last one delivered, so no byte is repeated or
 * skipped, and never from another version of the object.
 */
export function resumingBody(first: AsyncIterable<Uint8Array>, fetchRemainder: FetchRemainder, options: ResumingBodyOptions): Readable {
  return Readable.from(resume(first, fetchRemainder, options), { objectMode: false });
}

async function* resume(first: AsyncIterable<Uint8Array>, fetchRemainder: FetchRemainder, { start, end, maxResumes }: ResumingBodyOptions): AsyncGenerator<Uint8Array> {
  let next = start;
  let body = first;
  let breaks = 0;
  for (;;) {
    const before = next;
    try {
      for await (const chunk of body) {
        // A peer that sends more than it announced must not push bytes past the range.
        const wanted = chunk.byteLength <= end + 1 - next ? chunk : chunk.subarray(0, end + 1 - next);
        next += wanted.byteLength;
        if (wanted.byteLength > 0) yield wanted;
        if (next > end) return;
      }
      if (next > end) return;
      throw new Error(`the response ended after ${next - start} of ${end + 1 - start} bytes`);
    } catch (error) {
      breaks = next > before ? 1 : breaks + 1;
      if (breaks > maxResumes) throw error;
      // Full jitter, so readers cut off together do not come back together.
      await sleep(Math.random() * Math.min(2_000, 50 * 2 ** breaks));
      body = await fetchRemainder(next, end);
    }
  }
}
