import { randomBytes } from 'node:crypto';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { access, readdir, statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { AthenaRow } from './athena-row';
import { markTimestampAdjustedToUtc } from './parquet-footer';
import { RowOrder } from './row-order';
import { sqlString } from '@access-monitor/sql';

/** A Parquet file written in Teleport's Athena layout: `<out>/<YYYY-MM-DD>/<chunk-id>.parquet`. */
export interface WrittenChunk {
  /** UTC date of every `event_time` in the file; also its folder name. */
  date: string;
  path: string;
  rows: number;
}

export interface FlushResult {
  chunks: WrittenChunk[];
  /** Rows written to new chunks. */
  written: number;
  /** Rows dropped because they were already stored, or repeated in this batch. */
  duplicates: number;
}

export interface FlushOptions {
  /**
   * Drop rows whose (uid, event_time, event_data) is already in a Parquet file of the same
   * date folder or earlier in this batch: the same identity Teleport's Athena reader uses
   * (`SELECT DISTINCT uid, event_time, event_data`). Two different events sharing a uid
   * are both kept.
   */
  skipDuplicates?: boolean;
}

const DAY_MS = 86_400_000;

/**
 * Buffers rows as delimited text (DuckDB reads a batch of it as one file; rows it could not
 * hold go through an in-memory table) and writes them, per UTC date, to new Snappy Parquet
 * chunks sorted by (event_type, event_time) so readers can prune row groups by event type. Existing files are never rewritten; each chunk is written under a hidden
 * temporary name and renamed, so a reader never sees a half-written file.
 *
 * `event_time` is TIMESTAMP(MILLIS) adjusted to UTC, as Teleport's writer declares it
 * (gravitational/teleport lib/events/athena/types.go: `parquet:"event_time,timestamp(millisecond)"`,
 * and segmentio/parquet-go's Timestamp(unit) sets IsAdjustedToUTC: true).
 */
export class AthenaParquetWriter {
  private appender: DuckDBAppender;
  private pending = 0;
  private batches = 0;
  /** The write under way: batches are written one after another, in the order they were detached. */
  private writing: Promise<unknown> = Promise.resolve();
  /** Rows of the pending batch as delimited text, written to `text.file` in slices (see writeText). */
  private text: BatchText;
  /** Folder of the batch text files, made with the first one: a writer that writes nothing (most follower polls) makes none. */
  private stagingDir: string | undefined;
  /** Buffers writeSortedText put rows in, back from their batch's write and ready for another. */
  private spareSortBuffers: Buffer[] = [];

  private constructor(
    readonly out: string,
    private readonly instance: DuckDBInstance,
    /** Appends rows (the caller's thread of work) … */
    private readonly appendConnection: DuckDBConnection,
    /** … while this one sorts and writes the batches detached before (DuckDB runs both at once). */
    private readonly connection: DuckDBConnection,
    appender: DuckDBAppender,
    /** Where the folder for batch text files goes (see stagingFile). */
    private readonly stagingRoot: string,
  ) {
    this.appender = appender;
    this.text = this.newBatchText();
  }

  /** This writer's staging folder for batch text, once it made one (removed at close or at process exit). */
  get stagingFolder(): string | undefined {
    return this.stagingDir;
  }

  static async open(out: string): Promise<AthenaParquetWriter> {
    const instance = await DuckDBInstance.create(':memory:');
    const appendConnection = await instance.connect();
    const connection = await instance.connect();
    return new AthenaParquetWriter(out, instance, appendConnection, connection, await createStaging(appendConnection), await stagingRoot());
  }

  get pendingRows(): number {
    return this.pending;
  }

  /**
   * Rows go to DuckDB as delimited text that it reads in bulk (one native call per megabytes rather than
   * six per row); the rare row whose text holds the delimiter or a line break goes through the appender.
   */
  append(row: AthenaRow): void {
    const { uid, sessionId, eventType, user, eventData } = row;
    if (
      UNSAFE_FIELD.test(uid) ||
      UNSAFE_FIELD.test(sessionId) ||
      UNSAFE_FIELD.test(eventType) ||
      UNSAFE_FIELD.test(user) ||
      eventData.indexOf('\n') >= 0 ||
      eventData.indexOf('\r') >= 0 ||
      eventData.indexOf(FIELD_END) >= 0
    ) {
      const a = this.appender;
      a.appendVarchar(uid);
      a.appendVarchar(sessionId);
      a.appendVarchar(eventType);
      a.appendBigInt(BigInt(row.eventTimeMs));
      a.appendVarchar(eventData);
      a.appendVarchar(user);
      a.endRow();
      this.pending++;
      this.text.appended++;
      return;
    }
    this.appendCleanRow(row);
  }

  /**
   * append() for a row its producer knows to hold no line break and no \x01 in any field (JSON.stringify
   * output, UUIDs, catalog names: the demo generator's rows), so nothing is checked.
   */
  appendCleanRow(row: AthenaRow): void {
    const { eventData } = row;
    const day = this.noteDay(row.eventTimeMs);
    const start = this.text.used;
    this.writeText(`${row.eventTimeMs}${FIELD_END}${row.uid}${FIELD_END}${row.sessionId}${FIELD_END}${row.eventType}${FIELD_END}${row.user}${FIELD_END}${eventData}\n`);
    this.rowWritten(row, day, start, eventData.length);
  }

  /**
   * appendCleanRow for a row whose event JSON is still bytes (`bytes` from `start` to `end`, UTF-8 with no
   * line break and no \x01, as an import read them): copied into the batch without becoming a string.
   */
  appendCleanBytes(row: Omit<AthenaRow, 'eventData'>, bytes: Buffer, start: number, end: number): void {
    const day = this.noteDay(row.eventTimeMs);
    const from = this.text.used;
    this.writeText(`${row.eventTimeMs}${FIELD_END}${row.uid}${FIELD_END}${row.sessionId}${FIELD_END}${row.eventType}${FIELD_END}${row.user}${FIELD_END}`);
    this.writeBytes(bytes, start, end);
    const t = this.text;
    if (t.used < t.buffer.length) t.buffer[t.used++] = LF;
    else this.writeText('\n');
    this.rowWritten(row, day, from, end - start);
  }

  /** Notes a row written to the batch text from `start`: its place for sorting, and the longest event seen. */
  private rowWritten(row: Pick<AthenaRow, 'eventType' | 'eventTimeMs'>, day: number, start: number, eventLength: number): void {
    const t = this.text;
    // A row spread over a spill has no single place in the buffer: spilling ends sorting here anyway.
    if (t.order && !t.order.add(day, row.eventType, row.eventTimeMs, start, t.used)) t.order = undefined;
    this.pending++;
    if (eventLength > t.longest) t.longest = eventLength;
  }

  /** writeText for bytes already encoded. */
  private writeBytes(bytes: Buffer, start: number, end: number): void {
    const t = this.text;
    if (!this.makeRoom(end - start)) {
      const fd = this.batchFd();
      for (let at = start; at < end; ) at += writeSync(fd, bytes, at, end - at);
      return;
    }
    t.used += bytes.copy(t.buffer, t.used, start, end);
  }

  /**
   * Room for `bytes` more in the batch buffer: it grows while its rows may still be sorted here (they stay in
   * memory until the flush), else goes to the batch file. False when they cannot fit even in an empty buffer:
   * the caller writes them to the batch file itself.
   */
  private makeRoom(bytes: number): boolean {
    const t = this.text;
    while (t.used + bytes > t.buffer.length) {
      if (t.order !== undefined && 2 * t.buffer.length <= SORT_IN_MEMORY_BYTES) {
        const grown = Buffer.allocUnsafe(2 * t.buffer.length);
        t.buffer.copy(grown, 0, 0, t.used);
        t.buffer = grown;
        continue;
      }
      t.order = undefined;
      this.spillText();
      return bytes <= t.buffer.length;
    }
    return true;
  }

  /** The row's UTC day since the epoch, noted in the batch's range of days. */
  private noteDay(eventTimeMs: number): number {
    const t = this.text;
    const day = Math.floor(eventTimeMs / DAY_MS);
    if (day < t.firstDay) t.firstDay = day;
    if (day > t.lastDay) t.lastDay = day;
    return day;
  }

  /** Encodes text into the batch buffer, which goes to the batch file whenever it fills up. */
  private writeText(text: string): void {
    const t = this.text;
    // 3 bytes per UTF-16 unit is the most UTF-8 can take; checking the cheap bound avoids measuring.
    if (!this.makeRoom(text.length * 3)) {
      writeSync(this.batchFd(), text);
      return;
    }
    t.used += t.buffer.write(text, t.used);
  }

  private batchFd(): number {
    const t = this.text;
    t.rows = true;
    return (t.fd ??= openSync(this.stagingFile(t), 'w'));
  }

  /** The batch's file, in the staging folder (made now if this is the writer's first). */
  private stagingFile(text: BatchText): string {
    this.stagingDir ??= openStagingDir(this.stagingRoot);
    if (!path.isAbsolute(text.file)) text.file = path.join(this.stagingDir, text.file);
    return text.file;
  }

  private newBatchText(): BatchText {
    return {
      file: `batch-${this.batches + 1}.txt`,
      buffer: this.text?.buffer ?? Buffer.allocUnsafe(TEXT_BUFFER_BYTES),
      used: 0,
      longest: 0,
      fd: undefined,
      rows: false,
      order: new RowOrder(),
      sorted: false,
      sortedBytes: undefined,
      appended: 0,
      firstDay: Infinity,
      lastDay: -Infinity,
    };
  }

  /** Writes the buffered text to the batch file: memory stays bounded whatever the batch size. */
  private spillText(): void {
    const t = this.text;
    if (t.used === 0) return;
    const fd = this.batchFd();
    for (let at = 0; at < t.used; ) at += writeSync(fd, t.buffer, at, t.used - at);
    t.used = 0;
  }

  /**
   * Writes the batch text by UTC day in the chunks' order (event_type, event_time, uid): sorting small
   * keys here costs less than DuckDB sorting whole rows, event JSON included, while it writes Parquet.
   */
  private writeSortedText(): void {
    const t = this.text;
    let sorted = this.spareSortBuffers.pop();
    if (sorted === undefined || sorted.length < t.used) sorted = Buffer.allocUnsafe(t.buffer.length);
    const length = t.order!.copySorted(t.buffer, sorted);
    // Written to the file by the batch's own (background) write: the next batch need not wait for the disk.
    t.sortedBytes = { buffer: sorted, length };
    t.rows = true;
    t.used = 0;
    t.sorted = true;
  }

  /** Puts rows writeSortedText held back into the batch file, for DuckDB to read. */
  private saveSortedText(text: BatchText): void {
    if (text.sortedBytes === undefined) return;
    const { buffer, length } = text.sortedBytes;
    text.sortedBytes = undefined;
    // Synchronous: asynchronous writes would each wait for a turn of the event loop, which the caller keeps
    // busy making the next batch; a memory file system takes a batch in milliseconds.
    const fd = openSync(this.stagingFile(text), 'w');
    try {
      for (let done = 0; done < length; ) done += writeSync(fd, buffer, done, length - done);
    } finally {
      closeSync(fd);
    }
    this.spareSortBuffers.push(buffer);
  }

  /** Writes every pending row: one new chunk per UTC date present. */
  async flush(options: FlushOptions = {}): Promise<FlushResult> {
    return (await this.startFlush(options)).written;
  }

  /**
   * Detaches the pending rows and writes them in the background, so the caller can append the next
   * batch meanwhile (JSON parsing or event generation in JS overlaps DuckDB's sort and Parquet write).
   * Resolves once the rows are detached; `written` settles when their chunks are on disk. Batches are
   * written in order, so a batch's duplicate check sees the chunks of every batch before it.
   */
  async startFlush(options: FlushOptions = {}): Promise<{ written: Promise<FlushResult> }> {
    if (this.pending === 0) {
      const before = this.writing;
      return { written: before.then(() => ({ chunks: [], written: 0, duplicates: 0 })) };
    }
    if (this.text.order !== undefined && this.text.fd === undefined && this.text.appended === 0) this.writeSortedText();
    else this.spillText();
    const text = this.text;
    if (text.fd !== undefined) closeSync(text.fd);
    ++this.batches;
    this.text = this.newBatchText();
    const pending = this.pending;
    this.pending = 0;
    // The staging table moves to the batch only when the appender took rows: renaming waits on DuckDB's catalog.
    let batch: string | undefined;
    if (text.appended > 0) {
      this.appender.closeSync();
      batch = `batch_${this.batches}`;
      await this.appendConnection.run(`ALTER TABLE staging RENAME TO ${batch}`);
      this.appender = await createStaging(this.appendConnection);
    }
    const written = this.writing.then(() => this.writeBatch(batch, text, pending, options));
    // A failed write fails its own promise; later batches still wait for it, then run.
    this.writing = written.catch(() => undefined);
    return { written };
  }

  /** `batch` is the table of the rows that went through the appender, if any did. */
  private async writeBatch(batch: string | undefined, text: BatchText, pending: number, options: FlushOptions): Promise<FlushResult> {
    this.saveSortedText(text);
    if (batch === undefined && !options.skipDuplicates && text.firstDay === text.lastDay) return this.writeOneDay(text, pending);
    const c = this.connection;
    // One pass over the batch's text and appended rows: the event JSON is copied once, into `outgoing`.
    const incoming = batch === undefined ? `(${readBatchText(text)})` : text.rows ? `(SELECT * FROM ${batch} UNION ALL ${readBatchText(text)})` : batch;
    // Rows sorted in JS keep their order through a plain scan into `outgoing` and out of it.
    let sorted = text.sorted && text.appended === 0;
    try {
      await c.run(`CREATE OR REPLACE TEMP TABLE outgoing AS
        SELECT uid, session_id, event_type,
          CAST(epoch_ms(event_time_ms) AS TIMESTAMP_MS) AS event_time, event_data, "user",
          CAST(floor(event_time_ms / ${DAY_MS}.0) AS BIGINT) AS event_day
        FROM ${incoming}`);
    } finally {
      if (batch !== undefined) await c.run(`DROP TABLE IF EXISTS ${batch}`);
      if (text.rows) rmSync(text.file, { force: true });
    }
    if (options.skipDuplicates && (await this.mayRepeat())) {
      await c.run('CREATE OR REPLACE TEMP TABLE outgoing AS SELECT DISTINCT * FROM outgoing');
      sorted = false;
    }

    if (options.skipDuplicates && (await this.dropRowsAlreadyStored())) sorted = false;

    const perDay = (await c.runAndReadAll('SELECT event_day, count(*) FROM outgoing GROUP BY event_day ORDER BY event_day')).getRows();
    const chunks: WrittenChunk[] = [];
    for (const [day, count] of perDay) {
      const select = `SELECT uid, session_id, event_type, event_time, event_data, "user" FROM outgoing WHERE event_day = ${Number(day)}`;
      chunks.push(await this.writeChunk(Number(day), select, Number(count), sorted));
    }
    await c.run('DROP TABLE outgoing');
    const written = chunks.reduce((n, chunk) => n + chunk.rows, 0);
    return { chunks, written, duplicates: pending - written };
  }

  /**
   * A batch of one UTC date with nothing to deduplicate (the demo generator's days): sorted and written
   * straight from its text, without a table in between.
   */
  private async writeOneDay(text: BatchText, rows: number): Promise<FlushResult> {
    try {
      const chunk = await this.writeChunk(
        text.firstDay,
        `SELECT uid, session_id, event_type, CAST(epoch_ms(event_time_ms) AS TIMESTAMP_MS) AS event_time, event_data, "user" FROM (${readBatchText(text)})`,
        rows,
        text.sorted,
      );
      return { chunks: [chunk], written: rows, duplicates: 0 };
    } finally {
      rmSync(text.file, { force: true });
    }
  }

  /**
   * Writes `select`, rows of one UTC day, as a new chunk in that day's folder, sorted unless they come
   * sorted already (DuckDB keeps a scan's order when it writes).
   */
  private async writeChunk(day: number, select: string, rows: number, sorted = false): Promise<WrittenChunk> {
    const date = dateOfDay(day);
    const folder = path.join(this.out, date);
    // Synchronous file system calls: quick, and asynchronous ones would each wait for a busy event loop.
    mkdirSync(folder, { recursive: true });
    const id = chunkId();
    const finalPath = path.join(folder, `${id}.parquet`);
    // Hidden and not *.parquet: globbing readers (and Athena) skip it until the rename.
    const tmpPath = path.join(folder, `.${id}.parquet.tmp`);
    try {
      await this.connection.run(`COPY (${select}${sorted ? '' : ' ORDER BY event_type, event_time, uid'}) TO ${sqlString(tmpPath)} (FORMAT parquet, COMPRESSION snappy)`);
      await markTimestampAdjustedToUtc(tmpPath, 'event_time');
      renameSync(tmpPath, finalPath);
    } catch (error) {
      rmSync(tmpPath, { force: true });
      throw error;
    }
    return { date, path: finalPath, rows };
  }

  /**
   * Whether two rows of the batch share (uid, event_time): only then can a whole row repeat, and
   * only then is DISTINCT over the whole event JSON (the costly part of a duplicate check) needed.
   */
  private async mayRepeat(): Promise<boolean> {
    const found = await this.connection.runAndReadAll('SELECT 1 FROM outgoing GROUP BY uid, event_time HAVING count(*) > 1 LIMIT 1');
    return found.currentRowCount > 0;
  }

  /** Frees the database; a batch still being written (a caller that failed before awaiting it) finishes first. */
  close(): void {
    this.appender.closeSync();
    this.appendConnection.closeSync();
    if (this.text.fd !== undefined) closeSync(this.text.fd);
    void this.writing.then(() => {
      // First and synchronous, so a caller that exits right after an import leaves nothing behind in /dev/shm.
      if (this.stagingDir !== undefined) removeStagingDir(this.stagingDir);
      this.connection.closeSync();
      this.instance.closeSync();
    });
  }

  /** Drops the rows of `outgoing` already stored; whether it dropped (and so rebuilt `outgoing`). */
  private async dropRowsAlreadyStored(): Promise<boolean> {
    const c = this.connection;
    const days = (await c.runAndReadAll('SELECT DISTINCT event_day FROM outgoing')).getRows().map(([day]) => Number(day));
    const files = (await Promise.all(days.map((day) => parquetFilesIn(path.join(this.out, dateOfDay(day)))))).flat();
    if (files.length === 0) return false;
    const stored = `read_parquet([${files.map(sqlString).join(', ')}], union_by_name = true)`;
    // Reading (uid, event_time) is cheap; the event JSON is read only when some of them match.
    const candidates = await c.runAndReadAll(`SELECT 1 FROM outgoing o SEMI JOIN (SELECT uid, epoch_ms(event_time) AS event_time_ms FROM ${stored}) e
      ON e.uid IS NOT DISTINCT FROM o.uid AND e.event_time_ms = epoch_ms(o.event_time) LIMIT 1`);
    if (candidates.currentRowCount === 0) return false;
    // epoch_ms on both sides: event_time is a UTC-adjusted timestamp (DuckDB reads it as
    // TIMESTAMPTZ), but chunks written before it was may hold a plain TIMESTAMP.
    await c.run(`CREATE OR REPLACE TEMP TABLE fresh AS
      SELECT o.* FROM outgoing o
      ANTI JOIN (
        SELECT uid, epoch_ms(event_time) AS event_time_ms, event_data
        FROM ${stored}
      ) e
      ON e.uid IS NOT DISTINCT FROM o.uid AND e.event_time_ms = epoch_ms(o.event_time) AND e.event_data = o.event_data`);
    await c.run('DROP TABLE outgoing');
    await c.run('ALTER TABLE fresh RENAME TO outgoing');
    return true;
  }
}

/** Free space a memory file system needs before batch files go there. */
const MEMORY_FS_MIN_FREE_BYTES = 2 * 1024 ** 3;

/**
 * Where batch files go: /dev/shm when it is a memory file system with room to spare (a batch file is
 * written once and read once, and on a busy disk the write-back alone took longer than the import),
 * else the system's temporary folder.
 */
async function stagingRoot(): Promise<string> {
  try {
    const fs = await statfs('/dev/shm');
    if (fs.type === TMPFS_MAGIC && fs.bavail * fs.bsize >= MEMORY_FS_MIN_FREE_BYTES) {
      await access('/dev/shm', constants.W_OK);
      return '/dev/shm';
    }
  } catch {
    // no /dev/shm (macOS, Windows) or not writable: the temporary folder will do
  }
  return os.tmpdir();
}

/** Staging folders of this process's writers, removed at exit too: one left in /dev/shm would hold memory until reboot. */
const stagingDirs = new Set<string>();

function openStagingDir(root: string): string {
  const dir = mkdtempSync(path.join(root, 'access-monitor-parquet-staging-'));
  if (stagingDirs.size === 0) process.once('exit', removeStagingDirsAtExit);
  stagingDirs.add(dir);
  return dir;
}

function removeStagingDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  stagingDirs.delete(dir);
  if (stagingDirs.size === 0) process.removeListener('exit', removeStagingDirsAtExit);
}

function removeStagingDirsAtExit(): void {
  for (const dir of stagingDirs) rmSync(dir, { recursive: true, force: true });
  stagingDirs.clear();
}

/** statfs f_type of tmpfs (linux/magic.h). */
const TMPFS_MAGIC = 0x01021994;

/** Between the fields of a batch text row; JSON text never holds it raw (control characters must be escaped). */
const FIELD_END = '\x01';
const LF = 0x0a;
// eslint-disable-next-line no-control-regex -- the delimiter is a control character on purpose
const UNSAFE_FIELD = /[\x01\n\r]/;
/** Batch text is encoded into a buffer of this size and written to its file whenever it fills up. */
const TEXT_BUFFER_BYTES = 8 * 1024 * 1024;

/** A batch whose rows all fit in this much memory may be sorted before DuckDB reads it. */
const SORT_IN_MEMORY_BYTES = 512 * 1024 * 1024;

interface BatchText {
  /** The batch file's name, then its path once it is made (stagingFile). */
  file: string;
  buffer: Buffer;
  used: number;
  /** Longest event JSON in characters, to size DuckDB's line limit. */
  longest: number;
  fd: number | undefined;
  /** Whether any row was written to the file. */
  rows: boolean;
  /** Keys and places in `buffer` of the rows, while they may still be sorted here (see writeSortedText). */
  order: RowOrder | undefined;
  /** Whether the batch file holds its rows in chunk order. */
  sorted: boolean;
  /** Sorted rows not yet in the file. */
  sortedBytes: { buffer: Buffer; length: number } | undefined;
  /** Rows of the batch that went through the appender instead. */
  appended: number;
  /** Range of the UTC days (since the epoch) of the batch's text rows. */
  firstDay: number;
  lastDay: number;
}

/**
 * The SELECT reading a batch text file. No quoting: fields never hold the delimiter or a line break
 * (append routes such rows through the appender), and an empty field reads as NULL, hence coalesce.
 */
function readBatchText(text: BatchText): string {
  // A character is at most 3 UTF-8 bytes; DuckDB refuses lines longer than max_line_size.
  const maxLine = Math.max(2 * 1024 * 1024, text.longest * 3 + 4096);
  return `SELECT coalesce(uid, '') AS uid, coalesce(session_id, '') AS session_id, coalesce(event_type, '') AS event_type,
      event_time_ms, coalesce(event_data, '') AS event_data, coalesce("user", '') AS "user"
    FROM read_csv(${sqlString(text.file)}, columns = {'event_time_ms': 'BIGINT', 'uid': 'VARCHAR', 'session_id': 'VARCHAR',
      'event_type': 'VARCHAR', 'user': 'VARCHAR', 'event_data': 'VARCHAR'}, delim = '\x01', quote = '', escape = '',
      header = false, auto_detect = false, new_line = '\\n', max_line_size = ${maxLine}, buffer_size = ${Math.max(16 * 1024 * 1024, 2 * maxLine)})`;
}

/** (Re)creates the empty staging table; dropping it frees memory sooner than DELETE. */
async function createStaging(connection: DuckDBConnection): Promise<DuckDBAppender> {
  // event_time stays epoch milliseconds until flush: appending a BIGINT is about three
  // times faster than building timestamp values in JS.
  await connection.run(
    'CREATE OR REPLACE TABLE staging (uid VARCHAR, session_id VARCHAR, event_type VARCHAR, event_time_ms BIGINT, event_data VARCHAR, "user" VARCHAR)',
  );
  return connection.createAppender('staging');
}

/** Writes rows in one go; for callers that already hold a bounded batch. */
export async function writeAthenaParquet(out: string, rows: Iterable<AthenaRow>): Promise<WrittenChunk[]> {
  const writer = await AthenaParquetWriter.open(out);
  try {
    for (const row of rows) writer.append(row);
    return (await writer.flush()).chunks;
  } finally {
    writer.close();
  }
}

/** The `*.parquet` files of one date folder (none if it does not exist yet). */
export async function parquetFilesIn(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((name) => name.endsWith('.parquet') && !name.startsWith('.'))
    .sort()
    .map((name) => path.join(folder, name));
}

function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}



/** A UUIDv7 like Teleport's chunk names: time-ordered, so newer chunks sort last. */
function chunkId(): string {
  const bytes = randomBytes(16);
  let ms = Date.now();
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
