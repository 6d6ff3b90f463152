import { isUtf8 } from 'node:buffer';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

const GZIP_MAGIC = [0x1f, 0x8b];

/** Whether the file starts with the gzip magic bytes (names lie; `.log` files may be gzipped copies). */
export async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

/** A line whose bytes are not UTF-8: reported, never decoded into U+FFFD and stored. */
export interface InvalidUtf8Line {
  invalidUtf8: true;
  /** Offset of the first bad byte within the line. */
  byteOffset: number;
}

const LF = 0x0a;
const CR = 0x0d;

/** The first byte of `bytes` where UTF-8 decoding fails: the first U+FFFD a lenient decode made up rather than read. */
function firstInvalidByte(bytes: Buffer): number {
  const text = bytes.toString('utf8');
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) {
    const at = Buffer.byteLength(text.slice(0, i)); // exact: everything before decoded from its own bytes
    if (!(bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd)) return at;
  }
  return bytes.length;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** One line's bytes (without its LF) as text, or InvalidUtf8Line when they are not UTF-8; a trailing CR is dropped. */
export function decodeUtf8Line(bytes: Buffer): string | InvalidUtf8Line {
  const line = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.subarray(0, bytes.length - 1) : bytes;
  try {
    return strictUtf8.decode(line);
  } catch {
    return { invalidUtf8: true, byteOffset: firstInvalidByte(line) };
  }
}

/**
 * Streams the lines of a plain or gzip text file without holding the file in memory. A line that is not
 * valid UTF-8 comes back as an InvalidUtf8Line instead of text with U+FFFD in it, so an import can report
 * it as `file:line` rather than store altered evidence. Lines end at LF (a CR before it is dropped), as
 * Teleport writes them.
 */
export async function* readCheckedLines(file: string): AsyncGenerator<string | InvalidUtf8Line> {
  for await (const lines of readCheckedLineBatches(file)) yield* lines;
}

/**
 * Bytes read from the file at a time; each read yields all the lines it completes. Small enough that a
 * caller handling them gives the event loop a turn every few milliseconds (the Parquet writer's
 * background steps wait for those turns), large enough that the turns cost little.
 */
const READ_BYTES = 256 * 1024;

/**
 * readCheckedLines, a read's worth of lines at a time: a caller that handles lines synchronously pays the
 * cost of an asynchronous step once per megabyte instead of once per line.
 */
async function* readCheckedLineBatches(file: string): AsyncGenerator<Array<string | InvalidUtf8Line>> {
  let first = true;
  const stripBom = (line: string): string => {
    // A UTF-8 byte order mark is not part of the first event.
    const text = first && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
    first = false;
    return text;
  };
  for await (const { bytes, whole } of streamedLines(file, await isGzip(file))) yield whole ? linesOf(bytes, stripBom) : [lineOf(bytes, stripBom)];
}

/** Bytes of whole lines as read: each chunk but the last ends with LF; `utf8` says whether all of it is valid UTF-8. */
export interface LineChunk {
  bytes: Buffer;
  utf8: boolean;
}

/**
 * readCheckedLineBatches without decoding: the bytes of a read's worth of complete lines at a time, for a
 * caller that finds the lines itself (see importAuditLog). No byte order mark is removed.
 */
export async function* readLineChunks(file: string): AsyncGenerator<LineChunk> {
  if (!(await isGzip(file))) {
    yield* readPlainLineChunks(file);
    return;
  }
  for await (const { bytes } of streamedLines(file, true)) yield { bytes, utf8: isUtf8(bytes) };
}

/** wholeLines of a file read as a stream, through gunzip when `gzip`; the streams are closed however the iteration ends. */
async function* streamedLines(file: string, gzip: boolean): AsyncGenerator<{ bytes: Buffer; whole: boolean }> {
  const raw = createReadStream(file, { highWaterMark: READ_BYTES });
  let input: Readable = raw;
  if (gzip) {
    const gunzip = createGunzip({ chunkSize: READ_BYTES });
    // pipe() does not forward errors: a read error must still end the iteration.
    raw.on('error', (error) => gunzip.destroy(error));
    input = raw.pipe(gunzip);
  }
  try {
    yield* wholeLines(input);
  } finally {
    raw.destroy();
    input.destroy();
  }
}

/**
 * readLineChunks of a plain file: read synchronously into one buffer that is used again for every chunk
 * (a stream allocated a buffer per read and cost more main-thread time than the reads), with a turn of
 * the event loop between chunks for the Parquet writer's background steps. A chunk is valid only until
 * the next is asked for.
 */
async function* readPlainLineChunks(file: string): AsyncGenerator<LineChunk> {
  const fd = openSync(file, 'r');
  let buffer = Buffer.allocUnsafe(PLAIN_READ_BYTES);
  // Bytes at the start of `buffer` that belong to a line not complete yet.
  let kept = 0;
  try {
    for (;;) {
      if (kept === buffer.length) {
        // A line longer than the buffer: grow it.
        const grown = Buffer.allocUnsafe(2 * buffer.length);
        buffer.copy(grown, 0, 0, kept);
        buffer = grown;
      }
      const read = readSync(fd, buffer, kept, buffer.length - kept, null);
      if (read === 0) break;
      const filled = kept + read;
      const lastLf = buffer.lastIndexOf(LF, filled - 1);
      if (lastLf < 0) {
        kept = filled;
        continue;
      }
      const complete = buffer.subarray(0, lastLf + 1);
      yield { bytes: complete, utf8: isUtf8(complete) };
      await new Promise(setImmediate);
      kept = buffer.copy(buffer, 0, lastLf + 1, filled);
    }
    if (kept > 0) {
      const rest = buffer.subarray(0, kept);
      yield { bytes: rest, utf8: isUtf8(rest) };
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * A stream's bytes cut after its last LF: each `whole` chunk holds complete lines (ending with LF); the bytes
 * after the last LF, if any, come last and not whole.
 */
async function* wholeLines(input: AsyncIterable<unknown>): AsyncGenerator<{ bytes: Buffer; whole: boolean }> {
  let carry: Buffer[] = [];
  for await (const chunk of input) {
    const buf = chunk as Buffer;
    const lastLf = buf.lastIndexOf(LF);
    if (lastLf < 0) {
      carry.push(buf);
      continue;
    }
    const complete = carry.length > 0 ? Buffer.concat([...carry, buf.subarray(0, lastLf + 1)]) : buf.subarray(0, lastLf + 1);
    carry = lastLf + 1 < buf.length ? [buf.subarray(lastLf + 1)] : [];
    yield { bytes: complete, whole: true };
  }
  const rest = carry.length === 1 ? carry[0]! : Buffer.concat(carry);
  if (rest.length > 0) yield { bytes: rest, whole: false };
}

/** Bytes read from a plain file at a time. */
const PLAIN_READ_BYTES = 1024 * 1024;

/** The lines of `bytes`, which ends with LF: decoded at once when all valid UTF-8 (the usual case), else line by line. */
function linesOf(bytes: Buffer, stripBom: (line: string) => string): Array<string | InvalidUtf8Line> {
  if (isUtf8(bytes)) {
    const lines: Array<string | InvalidUtf8Line> = bytes.toString('utf8', 0, bytes.length - 1).split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.charCodeAt(line.length - 1) === CR) lines[i] = line.slice(0, -1);
    }
    lines[0] = stripBom(lines[0] as string);
    return lines;
  }
  const lines: Array<string | InvalidUtf8Line> = [];
  for (let from = 0, at = bytes.indexOf(LF); at >= 0; from = at + 1, at = bytes.indexOf(LF, from)) lines.push(lineOf(bytes.subarray(from, at), stripBom));
  return lines;
}

function lineOf(bytes: Buffer, stripBom: (line: string) => string): string | InvalidUtf8Line {
  const text = decodeUtf8Line(bytes);
  return typeof text === 'string' ? stripBom(text) : text;
}
