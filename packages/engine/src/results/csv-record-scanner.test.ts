import { describe, expect, it } from 'vitest';
import { CsvFormatError, CsvRecordScanner, type CsvField } from './csv-record-scanner';

interface Scanned {
  fields: CsvField[] | undefined;
  start: number;
  next: number;
}

function scan(input: string | Buffer, chunkSize = Infinity, collect: boolean | ((field: number) => boolean) = true): Scanned[] {
  const out: Scanned[] = [];
  const scanner = new CsvRecordScanner((fields, start, next) => out.push({ fields, start, next }), 0, collect);
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  for (let i = 0; i < bytes.length; i += Math.min(chunkSize, bytes.length)) {
    scanner.push(Buffer.from(bytes.subarray(i, Math.min(i + chunkSize, bytes.length))));
  }
  scanner.finish();
  return out;
}

const fieldsOf = (input: string, chunkSize?: number): Array<CsvField[] | undefined> => scan(input, chunkSize).map((r) => r.fields);

describe('CsvRecordScanner', () => {
  it('reads quoted fields with commas, doubled quotes and newlines', () => {
    expect(fieldsOf('"a","b, c"\n"say ""hi""","line 1\nline 2"\n')).toEqual([
      ['a', 'b, c'],
      ['say "hi"', 'line 1\nline 2'],
    ]);
  });

  it('tells NULL (unquoted empty) from an empty string (quoted empty)', () => {
    expect(fieldsOf('"x",,""\n,\n')).toEqual([
      ['x', null, ''],
      [null, null],
    ]);
  });

  it('reads a blank line as one NULL field, as a one-column NULL row is written', () => {
    expect(fieldsOf('"c"\n\n"v"\n')).toEqual([['c'], [null], ['v']]);
  });

  it('gives the byte offset where each record starts, counting multi-byte characters as bytes', () => {
    const records = scan('"ü€"\n"a\nb"\n"z"\n');
    expect(records.map((r) => [r.start, r.next])).toEqual([
      [0, 8],
      [8, 14],
      [14, 18],
    ]);
  });

  it('gives the same records whatever the chunk boundaries, even inside multi-byte characters and doubled quotes', () => {
    const text = '"h1","h2"\n"añb ""q"" €","x\ny"\n,"",plain\n"😀",""""\n';
    const whole = scan(text);
    for (const size of [1, 2, 3, 5, 7]) expect(scan(text, size)).toEqual(whole);
    expect(whole.map((r) => r.fields)).toEqual([
      ['h1', 'h2'],
      ['añb "q" €', 'x\ny'],
      [null, '', 'plain'],
      ['😀', '"'],
    ]);
  });

  it('finds the same boundaries when only indexing', () => {
    const text = '"a","b\n"\n"c",\n,"d"\n';
    const full = scan(text).map((r) => [r.start, r.next]);
    expect(scan(text, 3, false).map((r) => [r.start, r.next])).toEqual(full);
    expect(scan(text, 3, false).every((r) => r.fields === undefined)).toBe(true);
  });

  it('decodes only the fields chosen by index, the others reading as null, with the same boundaries at any chunk size', () => {
    const input = '"a","b, c",plain\n"say ""hi""","line 1\nline 2",x\r\nlast,,"é"';
    const full = scan(input);
    for (const chunkSize of [1, 2, 3, 5, Infinity]) {
      const some = scan(input, chunkSize, (field) => field !== 1);
      expect(some.map((r) => [r.start, r.next])).toEqual(full.map((r) => [r.start, r.next]));
      expect(some.map((r) => r.fields)).toEqual(full.map((r) => r.fields!.map((f, i) => (i === 1 ? null : f))));
    }
  });

  it('accepts CRLF line ends and a last record without a newline', () => {
    expect(fieldsOf('"a","b"\r\n"c","d"')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('refuses a file that ends inside a quoted field', () => {
    expect(() => scan('"a","unterminated\n')).toThrow(CsvFormatError);
  });

  it('refuses text after a closing quote', () => {
    expect(() => scan('"a"x,"b"\n')).toThrow(/after a closing quote at byte 3/);
  });
});
