import { describe, expect, it } from 'vitest';
import { CsvFormatError, CsvRecordScanner, type CsvField } from '@access-monitor/engine';
import { forEachEntityOfCsv } from './csv-entities';

/** What the engine's full scanner reads for `columns`: the reference the entity scanner must match. */
function reference(csv: string, columns: readonly string[]): Array<Array<string | null>> {
  const rows: Array<Array<string | null>> = [];
  let at: number[] | undefined;
  const scanner = new CsvRecordScanner((fields: CsvField[] | undefined) => {
    if (!at) at = columns.map((c) => fields!.indexOf(c));
    else rows.push(at.map((i) => fields![i] ?? null));
  });
  scanner.push(Buffer.from(csv));
  scanner.finish();
  return rows;
}

async function read(csv: string, columns: readonly string[], chunkBytes: number): Promise<{ found: boolean; rows: Array<Array<string | null>> }> {
  const bytes = Buffer.from(csv);
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += chunkBytes) yield bytes.subarray(i, i + chunkBytes);
  }
  const rows: Array<Array<string | null>> = [];
  const found = await forEachEntityOfCsv(chunks(), columns, (values) => rows.push([...values]));
  return { found, rows };
}

const TRICKY = [
  '"event_time","user","db_service","note"',
  '2026-01-01 00:00:00.000,"alice","pg-main","plain"',
  '2026-01-02 00:00:00.000,,"pg-main","NULL user"',
  '2026-01-03 00:00:00.000,"","pg-2","empty user"',
  '"2026-01-04","bob ""the admin""","pg,1","a ""quoted"" note\r\nover two lines"\r',
  '2026-01-05,carol,,"last row, no newline"',
].join('\n');

describe('forEachEntityOfCsv', () => {
  it('reads the same entity text as the full CSV scanner, NULL, quotes, commas and line ends included, however the bytes are chunked', async () => {
    const expected = reference(TRICKY, ['user', 'db_service']);
    expect(expected).toEqual([
      ['alice', 'pg-main'],
      [null, 'pg-main'],
      ['', 'pg-2'],
      ['bob "the admin"', 'pg,1'],
      ['carol', null],
    ]);
    for (const chunkBytes of [1, 2, 3, 7, 64, 1 << 16]) expect(await read(TRICKY, ['user', 'db_service'], chunkBytes)).toEqual({ found: true, rows: expected });
    expect((await read(`${TRICKY}\n`, ['db_service', 'user'], 5)).rows).toEqual(reference(`${TRICKY}\n`, ['db_service', 'user']));
  });

  it('reads nothing when a column is missing from the header', async () => {
    expect(await read(TRICKY, ['user', 'kubernetes_cluster'], 4)).toEqual({ found: false, rows: [] });
    expect(await read('', ['user'], 4)).toEqual({ found: false, rows: [] });
  });

  it('refuses a file that ends inside quotes', async () => {
    await expect(read('"user"\n"alice', ['user'], 3)).rejects.toBeInstanceOf(CsvFormatError);
  });
});
