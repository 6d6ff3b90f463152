import type { Readable } from 'node:stream';
import type { Cell, ColumnInfo, ResultsPage } from '@access-monitor/contracts';
import { ResultUnavailable } from '../errors';
import { cellValue } from './cell-value';
import { CsvFormatError, CsvRecordScanner, type CsvField } from './csv-record-scanner';
import type { ResultFileSource } from './result-file-source';

/** `<id>.csv.metadata.json`: what the CSV holds, written next to it by the engine. */
export interface ResultMetadata {
  columns: ColumnInfo[];
  rowCount: number;
}

/** `<id>.csv.index.json`: byte offset of every `every`-th data row, so page N starts reading near row N. */
interface RowIndex {
  version: 1;
  csvBytes: number;
  every: number;
  rows: number;
  offsets: number[];
}

/** Pages within this many index entries of the start are read from the top, without the index. */
const NEAR_START_ENTRIES = 4;

export const resultKeys = {
  csv: (id: string): string => `${id}.csv`,
  metadata: (id: string): string => `${id}.csv.metadata.json`,
  index: (id: string): string => `${id}.csv.index.json`,
};

export interface ResultReaderOptions {
  /** Rows between two index entries; a page reads at most this many rows it does not return. Default 1000. */
  rowsPerIndexEntry?: number;
  /** Indexes kept in memory. Default 256. */
  cachedIndexes?: number;
}

/**
 * Reads results written the way Athena writes them (`<id>.csv` + metadata), for every engine:
 * pages through a row-offset index, and the whole CSV as a stream.
 */
export class ResultReader {
  private readonly every: number;
  private readonly cacheSize: number;
  /** Index per CSV key, also deduplicating concurrent first reads. Insertion order = LRU order. */
  private readonly indexes = new Map<string, { promise: Promise<RowIndex>; value?: RowIndex }>();

  constructor(
    private readonly source: ResultFileSource,
    options: ResultReaderOptions = {},
  ) {
    this.every = options.rowsPerIndexEntry ?? 1000;
    this.cacheSize = options.cachedIndexes ?? 256;
    if (!Number.isInteger(this.every) || this.every < 1) throw new RangeError('rowsPerIndexEntry must be a positive integer');
  }

  async metadata(id: string): Promise<ResultMetadata> {
    const text = await this.readSmall(id, resultKeys.metadata(id), 'metadata');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ResultUnavailable(id, 'the result metadata is not valid JSON');
    }
    if (!isMetadata(parsed)) throw new ResultUnavailable(id, 'the result metadata does not list columns and a row count');
    return parsed;
  }

  /** Rows `offset` … `offset + limit - 1` with typed cells. `metadata` may be passed when the caller has it already. */
  async page(id: string, offset: number, limit: number, metadata?: ResultMetadata): Promise<ResultsPage> {
    if (!Number.isInteger(offset) || offset < 0) throw new RangeError('offset must be a non-negative integer');
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    const meta = metadata ?? (await this.metadata(id));
    const { columns, rowCount } = meta;
    const types = columns.map((c) => c.type);

    const ready = this.readyIndex(id);
    if (!ready && offset + limit <= this.every * NEAR_START_ENTRIES) {
      // Near the start the index is not worth building (a full scan of the file): read from the top.
      if (offset >= rowCount) return { columns, rows: [], offset, totalRows: rowCount };
      const { rows, ended } = await this.readRows(id, types, { start: 0 }, offset + 1, limit); // + 1: the header
      if (ended && rows.length < Math.min(limit, rowCount - offset)) {
        throw new ResultUnavailable(id, `the CSV ends after ${offset + rows.length} rows but its metadata says ${rowCount}`);
      }
      return { columns, rows, offset, totalRows: rowCount };
    }

    const index = ready ?? (await this.index(id));
    if (index.rows !== rowCount) {
      this.forget(id);
      throw new ResultUnavailable(id, `the CSV holds ${index.rows} rows but its metadata says ${rowCount}`);
    }
    if (offset >= index.rows) return { columns, rows: [], offset, totalRows: index.rows };
    const entry = Math.floor(offset / index.every);
    const lastEntry = Math.floor((offset + limit - 1) / index.every) + 1;
    const start = index.offsets[entry]!;
    const end = lastEntry < index.offsets.length ? index.offsets[lastEntry]! - 1 : index.csvBytes - 1;
    const { rows } = await this.readRows(id, types, { start, end }, offset - entry * index.every, limit);
    return { columns, rows, offset, totalRows: index.rows };
  }

  /** Parses up to `limit` records after skipping `skip`, from a byte range that starts at a record. */
  private async readRows(id: string, types: string[], range: { start: number; end?: number }, skip: number, limit: number): Promise<{ rows: Cell[][]; ended: boolean }> {
    const rows: Cell[][] = [];
    let badRecord: CsvField[] | undefined;
    let toSkip = skip;
    const scanner = new CsvRecordScanner((fields) => {
      if (toSkip > 0) {
        toSkip--;
        return;
      }
      if (rows.length >= limit || badRecord) return;
      if (fields!.length !== types.length) badRecord = fields;
      else rows.push(fields!.map((f, i) => cellValue(f, types[i]!)));
    }, range.start);
    const ended = await this.consume(id, resultKeys.csv(id), range, scanner, () => rows.length >= limit || badRecord !== undefined);
    if (badRecord) {
      this.forget(id);
      throw new ResultUnavailable(id, `a row has ${badRecord.length} fields but the result has ${types.length} columns`);
    }
    return { rows, ended };
  }

  /** The size of the CSV in bytes, from the file's own size (a stat, or an S3 HEAD): nothing is read. */
  async bytes(id: string): Promise<number> {
    const size = await this.source.size(resultKeys.csv(id));
    if (size === undefined) throw new ResultUnavailable(id, 'the CSV file is missing');
    return size;
  }

  /** The whole CSV, streamed from the source (backpressure applies when the caller pipes it). */
  async csv(id: string): Promise<Readable> {
    const key = resultKeys.csv(id);
    const size = await this.source.size(key);
    if (size === undefined) throw new ResultUnavailable(id, 'the CSV file is missing');
    try {
      return await this.source.read(key);
    } catch (e) {
      throw new ResultUnavailable(id, `the CSV file cannot be read (${reasonOf(e)})`);
    }
  }

  private forget(id: string): void {
    this.indexes.delete(resultKeys.csv(id));
  }

  private readyIndex(id: string): RowIndex | undefined {
    return this.indexes.get(resultKeys.csv(id))?.value;
  }

  private index(id: string): Promise<RowIndex> {
    const key = resultKeys.csv(id);
    const cached = this.indexes.get(key);
    if (cached) {
      this.indexes.delete(key);
      this.indexes.set(key, cached);
      return cached.promise;
    }
    const entry: { promise: Promise<RowIndex>; value?: RowIndex } = {
      promise: this.loadIndex(id).then(
        (index) => (entry.value = index),
        (e: unknown) => {
          if (this.indexes.get(key) === entry) this.indexes.delete(key);
          throw e;
        },
      ),
    };
    this.indexes.set(key, entry);
    while (this.indexes.size > this.cacheSize) this.indexes.delete(this.indexes.keys().next().value!);
    return entry.promise;
  }

  private async loadIndex(id: string): Promise<RowIndex> {
    const csvBytes = await this.source.size(resultKeys.csv(id));
    if (csvBytes === undefined) throw new ResultUnavailable(id, 'the CSV file is missing');
    const saved = await this.savedIndex(id);
    if (saved && saved.csvBytes === csvBytes && saved.every === this.every) return saved;

    const offsets: number[] = [];
    let records = 0;
    const scanner = new CsvRecordScanner(
      (_fields, start) => {
        const row = records - 1; // record 0 is the header
        if (row >= 0 && row % this.every === 0) offsets.push(start);
        records++;
      },
      0,
      false,
    );
    await this.consume(id, resultKeys.csv(id), undefined, scanner, () => false);
    if (records === 0) throw new ResultUnavailable(id, 'the CSV file is empty (not even a header)');
    const index: RowIndex = { version: 1, csvBytes, every: this.every, rows: records - 1, offsets };
    if (this.source.write) {
      // Best effort: a reader that cannot store the index still serves pages from memory.
      await this.source.write(resultKeys.index(id), JSON.stringify(index)).catch(() => undefined);
    }
    return index;
  }

  private async savedIndex(id: string): Promise<RowIndex | undefined> {
    const key = resultKeys.index(id);
    if ((await this.source.size(key)) === undefined) return undefined;
    try {
      const parsed = JSON.parse(await readAll(await this.source.read(key))) as Partial<RowIndex>;
      const ok =
        parsed.version === 1 &&
        typeof parsed.csvBytes === 'number' &&
        typeof parsed.every === 'number' &&
        typeof parsed.rows === 'number' &&
        Array.isArray(parsed.offsets) &&
        parsed.offsets.length === Math.ceil(parsed.rows / parsed.every) &&
        parsed.offsets.every((o) => typeof o === 'number');
      return ok ? (parsed as RowIndex) : undefined;
    } catch {
      return undefined; // unreadable or half-written: rebuild it
    }
  }

  /**
   * Feeds a file (range) to the scanner until `done()`, stopping the read early; true when it read
   * to the end instead. Maps failures to ResultUnavailable.
   */
  private async consume(id: string, key: string, range: { start: number; end?: number } | undefined, scanner: CsvRecordScanner, done: () => boolean): Promise<boolean> {
    let stream: Readable;
    try {
      stream = await this.source.read(key, range);
    } catch (e) {
      throw new ResultUnavailable(id, `the CSV file cannot be read (${reasonOf(e)})`);
    }
    try {
      for await (const chunk of stream) {
        scanner.push(chunk as Buffer);
        if (done()) return false;
      }
      scanner.finish();
      return true;
    } catch (e) {
      if (e instanceof CsvFormatError) throw new ResultUnavailable(id, `the CSV file is corrupt (${e.message})`);
      if (e instanceof ResultUnavailable) throw e;
      throw new ResultUnavailable(id, `the CSV file cannot be read (${reasonOf(e)})`);
    } finally {
      stream.destroy();
    }
  }

  private async readSmall(id: string, key: string, what: string): Promise<string> {
    if ((await this.source.size(key)) === undefined) throw new ResultUnavailable(id, `the result ${what} file is missing`);
    try {
      return await readAll(await this.source.read(key));
    } catch (e) {
      throw new ResultUnavailable(id, `the result ${what} file cannot be read (${reasonOf(e)})`);
    }
  }
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function reasonOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (e instanceof Error ? e.message : String(e));
}

function isMetadata(v: unknown): v is ResultMetadata {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Partial<ResultMetadata>;
  return (
    Array.isArray(m.columns) &&
    m.columns.every((c) => typeof c === 'object' && c !== null && typeof c.name === 'string' && typeof c.type === 'string') &&
    typeof m.rowCount === 'number' &&
    Number.isInteger(m.rowCount) &&
    m.rowCount >= 0
  );
}
