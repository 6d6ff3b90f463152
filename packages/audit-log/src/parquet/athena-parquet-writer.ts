import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { AthenaRow } from './athena-row';
import { markTimestampAdjustedToUtc } from './parquet-footer';
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
 * Buffers rows in an in-memory DuckDB table and writes them, per UTC date, to new Snappy
 * Parquet chunks sorted by (event_type, event_time) so readers can prune row groups by
 * event type. Existing files are never rewritten; each chunk is written under a hidden
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

  private constructor(
    readonly out: string,
    private readonly instance: DuckDBInstance,
    /** Appends rows (the caller's thread of work) … */
    private readonly appendConnection: DuckDBConnection,
    /** … while this one sorts and writes the batches detached before (DuckDB runs both at once). */
    private readonly connection: DuckDBConnection,
    appender: DuckDBAppender,
  ) {
    this.appender = appender;
  }

  static async open(out: string): Promise<AthenaParquetWriter> {
    const instance = await DuckDBInstance.create(':memory:');
    const appendConnection = await instance.connect();
    const connection = await instance.connect();
    return new AthenaParquetWriter(out, instance, appendConnection, connection, await createStaging(appendConnection));
  }

  get pendingRows(): number {
    return this.pending;
  }

  append(row: AthenaRow): void {
    const a = this.appender;
    a.appendVarchar(row.uid);
    a.appendVarchar(row.sessionId);
    a.appendVarchar(row.eventType);
    a.appendBigInt(BigInt(row.eventTimeMs));
    a.appendVarchar(row.eventData);
    a.appendVarchar(row.user);
    a.endRow();
    this.pending++;
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
    this.appender.closeSync();
    const batch = `batch_${++this.batches}`;
    await this.appendConnection.run(`ALTER TABLE staging RENAME TO ${batch}`);
    const pending = this.pending;
    this.pending = 0;
    this.appender = await createStaging(this.appendConnection);
    const written = this.writing.then(() => this.writeBatch(batch, pending, options));
    // A failed write fails its own promise; later batches still wait for it, then run.
    this.writing = written.catch(() => undefined);
    return { written };
  }

  private async writeBatch(batch: string, pending: number, options: FlushOptions): Promise<FlushResult> {
    const c = this.connection;
    try {
      const distinct = options.skipDuplicates && (await this.mayRepeat(batch));
      await c.run(`CREATE OR REPLACE TEMP TABLE outgoing AS
        SELECT ${distinct ? 'DISTINCT' : ''} uid, session_id, event_type,
          CAST(epoch_ms(event_time_ms) AS TIMESTAMP_MS) AS event_time, event_data, "user",
          CAST(floor(event_time_ms / ${DAY_MS}.0) AS BIGINT) AS event_day
        FROM ${batch}`);
    } finally {
      await c.run(`DROP TABLE IF EXISTS ${batch}`);
    }

    if (options.skipDuplicates) await this.dropRowsAlreadyStored();

    const perDay = (await c.runAndReadAll('SELECT event_day, count(*) FROM outgoing GROUP BY event_day ORDER BY event_day')).getRows();
    const chunks: WrittenChunk[] = [];
    for (const [day, count] of perDay) {
      const date = dateOfDay(Number(day));
      const folder = path.join(this.out, date);
      await mkdir(folder, { recursive: true });
      const id = chunkId();
      const finalPath = path.join(folder, `${id}.parquet`);
      // Hidden and not *.parquet: globbing readers (and Athena) skip it until the rename.
      const tmpPath = path.join(folder, `.${id}.parquet.tmp`);
      try {
        await c.run(`COPY (
            SELECT uid, session_id, event_type, event_time, event_data, "user" FROM outgoing
            WHERE event_day = ${Number(day)} ORDER BY event_type, event_time, uid
          ) TO ${sqlString(tmpPath)} (FORMAT parquet, COMPRESSION snappy)`);
        await markTimestampAdjustedToUtc(tmpPath, 'event_time');
        await rename(tmpPath, finalPath);
      } catch (error) {
        await rm(tmpPath, { force: true });
        throw error;
      }
      chunks.push({ date, path: finalPath, rows: Number(count) });
    }
    await c.run('DROP TABLE outgoing');
    const written = chunks.reduce((n, chunk) => n + chunk.rows, 0);
    return { chunks, written, duplicates: pending - written };
  }

  /**
   * Whether two rows of the batch share (uid, event_time): only then can a whole row repeat, and
   * only then is DISTINCT over the whole event JSON (the costly part of a duplicate check) needed.
   */
  private async mayRepeat(batch: string): Promise<boolean> {
    const found = await this.connection.runAndReadAll(`SELECT 1 FROM ${batch} GROUP BY uid, event_time_ms HAVING count(*) > 1 LIMIT 1`);
    return found.currentRowCount > 0;
  }

  /** Frees the database; a batch still being written (a caller that failed before awaiting it) finishes first. */
  close(): void {
    this.appender.closeSync();
    this.appendConnection.closeSync();
    void this.writing.then(() => {
      this.connection.closeSync();
      this.instance.closeSync();
    });
  }

  private async dropRowsAlreadyStored(): Promise<void> {
    const c = this.connection;
    const days = (await c.runAndReadAll('SELECT DISTINCT event_day FROM outgoing')).getRows().map(([day]) => Number(day));
    const files = (await Promise.all(days.map((day) => parquetFilesIn(path.join(this.out, dateOfDay(day)))))).flat();
    if (files.length === 0) return;
    const stored = `read_parquet([${files.map(sqlString).join(', ')}], union_by_name = true)`;
    // Reading (uid, event_time) is cheap; the event JSON is read only when some of them match.
    const candidates = await c.runAndReadAll(`SELECT 1 FROM outgoing o SEMI JOIN (SELECT uid, epoch_ms(event_time) AS event_time_ms FROM ${stored}) e
      ON e.uid IS NOT DISTINCT FROM o.uid AND e.event_time_ms = epoch_ms(o.event_time) LIMIT 1`);
    if (candidates.currentRowCount === 0) return;
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
  }
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
