import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResultUnavailable } from '../errors';
import { athenaCsvLine } from './athena-csv';
import { LocalResultFileSource, type ByteRange, type ResultFileSource } from './result-file-source';
import { ResultReader, resultKeys, type ResultMetadata } from './result-reader';

const COLUMNS = [
  { name: 'n', type: 'bigint' },
  { name: 'label', type: 'varchar' },
  { name: 'ok', type: 'boolean' },
  { name: 'ratio', type: 'double' },
];

/** Row i: n = i, a label with a comma, a quote and (every 4th row) a newline, NULL ok every 3rd row. */
function row(i: number): Array<string | null> {
  return [String(i), `row ${i}, "q"${i % 4 === 0 ? '\nsecond line' : ''}`, i % 3 === 0 ? null : String(i % 2 === 0), `${i}.5`];
}

/** Counts the bytes each read asks for, to prove pages do not rescan the file. */
class CountingSource implements ResultFileSource {
  bytesRead = 0;
  constructor(private readonly inner: LocalResultFileSource) {}
  size(key: string): Promise<number | undefined> {
    return this.inner.size(key);
  }
  async read(key: string, range?: ByteRange): Promise<Readable> {
    const stream = await this.inner.read(key, range);
    stream.on('data', (c: Buffer) => (this.bytesRead += c.length));
    return stream;
  }
  write(key: string, body: string): Promise<void> {
    return this.inner.write(key, body);
  }
}

describe('ResultReader', () => {
  let dir: string;
  let source: LocalResultFileSource;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'result-reader-'));
    source = new LocalResultFileSource(dir);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function writeResult(id: string, rows: number, metadata: Partial<ResultMetadata> = {}): Promise<void> {
    let csv = athenaCsvLine(COLUMNS.map((c) => c.name));
    for (let i = 0; i < rows; i++) csv += athenaCsvLine(row(i));
    await writeFile(path.join(dir, resultKeys.csv(id)), csv);
    await writeFile(path.join(dir, resultKeys.metadata(id)), JSON.stringify({ columns: COLUMNS, rowCount: rows, ...metadata }));
  }

  it('returns typed cells: numbers, booleans, NULL as null, text with quotes and newlines intact', async () => {
    await writeResult('r1', 5);
    const page = await new ResultReader(source).page('r1', 0, 5);
    expect(page.columns).toEqual(COLUMNS);
    expect(page.totalRows).toBe(5);
    expect(page.rows[0]).toEqual([0, 'row 0, "q"\nsecond line', null, 0.5]);
    expect(page.rows[1]).toEqual([1, 'row 1, "q"', false, 1.5]);
    expect(page.rows[2]).toEqual([2, 'row 2, "q"', true, 2.5]);
  });

  it('serves any page by offset, across index entries, in file order', async () => {
    await writeResult('r2', 50);
    const reader = new ResultReader(source, { rowsPerIndexEntry: 7 });
    for (const [offset, limit] of [
      [0, 10],
      [6, 2],
      [7, 7],
      [13, 15],
      [45, 10],
      [49, 1],
    ] as const) {
      const page = await reader.page('r2', offset, limit);
      const expected = Array.from({ length: Math.min(limit, 50 - offset) }, (_, k) => offset + k);
      expect(page.rows.map((r) => r[0])).toEqual(expected);
      expect(page.offset).toBe(offset);
      expect(page.totalRows).toBe(50);
    }
    expect((await reader.page('r2', 50, 10)).rows).toEqual([]);
    expect((await reader.page('r2', 500, 10)).rows).toEqual([]);
  });

  it('saves the row index beside the CSV and reads a late page without rescanning from the start', async () => {
    await writeResult('r3', 2000);
    await new ResultReader(source, { rowsPerIndexEntry: 100 }).page('r3', 1000, 1);
    const saved = JSON.parse(await readFile(path.join(dir, resultKeys.index('r3')), 'utf8')) as { rows: number; offsets: number[] };
    expect(saved.rows).toBe(2000);
    expect(saved.offsets).toHaveLength(20);

    const counting = new CountingSource(source);
    const fresh = new ResultReader(counting, { rowsPerIndexEntry: 100 });
    const page = await fresh.page('r3', 1950, 10);
    expect(page.rows.map((r) => r[0])).toEqual(Array.from({ length: 10 }, (_, k) => 1950 + k));
    const csvBytes = (await source.size(resultKeys.csv('r3')))!;
    expect(counting.bytesRead).toBeLessThan(csvBytes / 10);
  });

  it('rebuilds an index that no longer matches the CSV', async () => {
    await writeResult('r4', 60);
    await new ResultReader(source, { rowsPerIndexEntry: 2 }).page('r4', 40, 1);
    await writeResult('r4', 30);
    const page = await new ResultReader(source, { rowsPerIndexEntry: 2 }).page('r4', 25, 10);
    expect(page.rows.map((r) => r[0])).toEqual([25, 26, 27, 28, 29]);
    expect(page.totalRows).toBe(30);
  });

  it('reads pages near the start without building an index', async () => {
    await writeResult('r11', 100);
    const page = await new ResultReader(source, { rowsPerIndexEntry: 10 }).page('r11', 5, 10);
    expect(page.rows.map((r) => r[0])).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(page.totalRows).toBe(100);
    expect(await source.size(resultKeys.index('r11'))).toBeUndefined();
  });

  it('reports a missing CSV or metadata file as ResultUnavailable', async () => {
    await writeResult('r5', 3);
    await rm(path.join(dir, resultKeys.csv('r5')));
    await expect(new ResultReader(source).page('r5', 0, 10)).rejects.toThrow(ResultUnavailable);
    await expect(new ResultReader(source).csv('r5')).rejects.toThrow(/CSV file is missing/);
    await writeResult('r6', 3);
    await rm(path.join(dir, resultKeys.metadata('r6')));
    await expect(new ResultReader(source).page('r6', 0, 10)).rejects.toThrow(/metadata file is missing/);
  });

  it('reports a CSV that disagrees with its metadata or is cut inside a quote as ResultUnavailable', async () => {
    await writeResult('r7', 3, { rowCount: 4 });
    await expect(new ResultReader(source).page('r7', 0, 10)).rejects.toThrow(/ends after 3 rows but its metadata says 4/);
    await writeResult('r7b', 30, { rowCount: 31 });
    await expect(new ResultReader(source, { rowsPerIndexEntry: 2 }).page('r7b', 20, 5)).rejects.toThrow(/holds 30 rows but its metadata says 31/);
    await writeFile(path.join(dir, resultKeys.csv('r8')), '"n","label","ok","ratio"\n"1","cut');
    await writeFile(path.join(dir, resultKeys.metadata('r8')), JSON.stringify({ columns: COLUMNS, rowCount: 1 }));
    await expect(new ResultReader(source).page('r8', 0, 10)).rejects.toThrow(/corrupt/);
    await writeFile(path.join(dir, resultKeys.csv('r9')), '"n","label","ok","ratio"\n"1","x"\n');
    await writeFile(path.join(dir, resultKeys.metadata('r9')), JSON.stringify({ columns: COLUMNS, rowCount: 1 }));
    await expect(new ResultReader(source).page('r9', 0, 10)).rejects.toThrow(/2 fields but the result has 4 columns/);
  });

  it('keeps big integers exact as text and NaN-like doubles as text', async () => {
    await writeFile(path.join(dir, resultKeys.csv('big')), '"a","b"\n"9007199254740993","NaN"\n"-12","1e3"\n');
    await writeFile(path.join(dir, resultKeys.metadata('big')), JSON.stringify({ columns: [{ name: 'a', type: 'bigint' }, { name: 'b', type: 'double' }], rowCount: 2 }));
    const page = await new ResultReader(source).page('big', 0, 10);
    expect(page.rows).toEqual([
      ['9007199254740993', 'NaN'],
      [-12, 1000],
    ]);
  });

  it('streams the CSV byte for byte, reading it in chunks rather than whole', async () => {
    await writeResult('r10', 20_000);
    const stream = await new ResultReader(source).csv('r10');
    const expected = await readFile(path.join(dir, resultKeys.csv('r10')));
    const first = await new Promise<Buffer>((resolve) => stream.once('data', resolve));
    expect(first.length).toBeLessThan(expected.length);
    stream.pause();
    const rest: Buffer[] = [first];
    stream.on('data', (c: Buffer) => rest.push(c));
    await new Promise((resolve) => {
      stream.once('end', resolve);
      stream.resume();
    });
    expect(Buffer.concat(rest).equals(expected)).toBe(true);
  });

  it('refuses keys that would leave the results folder', async () => {
    await expect(new ResultReader(source).csv('../etc/passwd')).rejects.toThrow(RangeError);
  });
});
