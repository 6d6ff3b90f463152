import { describe, expect, it } from 'vitest';
import { readAll } from '../object-store.contract';
import { ObjectChangedDuringRead, resumingBody, type FetchRemainder } from './resuming-body';

const source = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');

/** A response body for bytes from..end of `source` that breaks after `breakAfter` bytes (in chunks of 4). */
async function* part(from: number, end: number, breakAfter = Infinity): AsyncGenerator<Uint8Array> {
  for (let at = from, sent = 0; at <= end; at += 4) {
    const chunk = source.subarray(at, Math.min(at + 4, end + 1));
    if (sent + chunk.length > breakAfter) {
      if (breakAfter > sent) yield chunk.subarray(0, breakAfter - sent);
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }
    sent += chunk.length;
    yield chunk;
  }
}

describe('resumingBody', () => {
  it('passes an unbroken body through', async () => {
    const stream = resumingBody(part(0, 35), () => Promise.reject(new Error('not needed')), { start: 0, end: 35, maxResumes: 3 });
    expect((await readAll(stream)).toString()).toBe(source.toString());
  });

  it('asks for the rest from the first byte not delivered, after breaks and early ends, with no byte twice', async () => {
    const asked: [number, number][] = [];
    const fetchRemainder: FetchRemainder = async (from, end) => {
      asked.push([from, end]);
      // The first resume breaks again; the second ends early without an error; the third completes.
      if (asked.length === 1) return part(from, end, 5);
      if (asked.length === 2) return part(from, from + 2);
      return part(from, end);
    };
    const stream = resumingBody(part(3, 30, 10), fetchRemainder, { start: 3, end: 30, maxResumes: 3 });
    expect((await readAll(stream)).toString()).toBe(source.subarray(3, 31).toString());
    expect(asked).toEqual([
      [13, 30],
      [18, 30],
      [21, 30],
    ]);
  });

  it('never delivers past the end of the range, even from a peer that sends more', async () => {
    const stream = resumingBody(part(0, 35), () => Promise.reject(new Error('not needed')), { start: 0, end: 9, maxResumes: 0 });
    expect((await readAll(stream)).toString()).toBe('0123456789');
  });

  it('gives up with the last error after maxResumes breaks without progress', async () => {
    let fetches = 0;
    const stream = resumingBody(part(0, 35, 4), async (from, end) => (fetches++, part(from, end, 0)), { start: 0, end: 35, maxResumes: 2 });
    await expect(readAll(stream)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(fetches).toBe(2);
  });

  it('fails with the error of the fetch when the object was replaced', async () => {
    const stream = resumingBody(part(0, 35, 8), () => Promise.reject(new ObjectChangedDuringRead('k', '"e"', 8)), { start: 0, end: 35, maxResumes: 3 });
    await expect(readAll(stream)).rejects.toBeInstanceOf(ObjectChangedDuringRead);
  });
});
