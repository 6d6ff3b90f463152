import { CsvFormatError, type CsvField } from '@access-monitor/engine';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: either the first of `""` or the closing quote. */
  QuoteInQuoted,
}

/**
 * Reads the text of `columns` from every row of an Athena CSV, chunk by chunk (the engine's RFC 4180
 * rules: NULL is an unquoted empty field, `""` a quote, CRLF a line end). Unlike the engine's scanner
 * it decodes only the fields asked for: a finding of 60k rows and 20 columns is read in a tenth of the time.
 */
export class EntityColumnScanner {
  private state = State.FieldStart;
  private position = 0;
  /** Index of the field being read in its record, and how many of the record's fields have ended. */
  private field = 0;
  private parts: Buffer[] = [];
  private quoted = false;
  /** Per field index, its place among `columns` (-1: not read); undefined until the header has been read. */
  private at: number[] | undefined;
  private header: CsvField[] = [];
  private values: CsvField[];
  /** A column is missing from the header: nothing is read. */
  missing = false;

  constructor(
    private readonly columns: readonly string[],
    private readonly onRow: (values: ReadonlyArray<string | null>) => void,
  ) {
    this.values = columns.map(() => null);
  }

  /** Whether the header held every column (false before it has been read). */
  get found(): boolean {
    return this.at !== undefined && !this.missing;
  }

  private wanted(): boolean {
    return this.at === undefined || (this.field < this.at.length && this.at[this.field]! >= 0);
  }

  push(chunk: Buffer): void {
    if (this.missing) return;
    const n = chunk.length;
    let segment = 0;
    let state = this.state;
    let keep = this.wanted();
    for (let i = 0; i < n; i++) {
      const b = chunk[i]!;
      switch (state) {
        case State.Quoted: {
          const q = b === QUOTE ? i : chunk.indexOf(QUOTE, i);
          if (q === -1) {
            i = n;
            break;
          }
          if (keep && q > segment) this.parts.push(chunk.subarray(segment, q));
          i = q;
          state = State.QuoteInQuoted;
          break;
        }
        case State.QuoteInQuoted:
          if (b === QUOTE) {
            segment = i;
            state = State.Quoted;
          } else if (b === COMMA || b === LF) {
            this.endField();
            if (b === LF) this.endRecord();
            if (this.missing) return;
            keep = this.wanted();
            state = State.FieldStart;
          } else if (b !== CR) {
            throw new CsvFormatError('unexpected character after a closing quote', this.position + i);
          }
          break;
        case State.FieldStart:
          if (b === QUOTE) {
            this.quoted = true;
            segment = i + 1;
            state = State.Quoted;
          } else if (b === COMMA || b === LF) {
            this.endField();
            if (b === LF) this.endRecord();
            if (this.missing) return;
            keep = this.wanted();
          } else if (b !== CR) {
            segment = i;
            state = State.Unquoted;
          }
          break;
        case State.Unquoted: {
          // Jump to the end of the field: an unquoted field holds no quote, comma or line end.
          let j = i;
          while (j < n) {
            const c = chunk[j]!;
            if (c === COMMA || c === LF || c === CR) break;
            j++;
          }
          if (j === n) {
            i = n;
            break;
          }
          i = j;
          const c = chunk[j]!;
          if (keep && j > segment) this.parts.push(chunk.subarray(segment, j));
          segment = j + 1;
          if (c === CR) break; // dropped: only CRLF line ends are expected outside quotes
          this.endField();
          state = State.FieldStart;
          if (c === LF) this.endRecord();
          if (this.missing) return;
          keep = this.wanted();
          break;
        }
      }
    }
    if (keep && (state === State.Quoted || state === State.Unquoted) && n > segment) this.parts.push(chunk.subarray(segment, n));
    // The field continues in the next chunk: copy what is pending, since callers may reuse their buffers.
    if (this.parts.length > 0) this.parts = [Buffer.concat(this.parts)];
    this.state = state;
    this.position += n;
  }

  /** Call at end of input: reads a last record without a trailing newline, refuses an open quote. */
  finish(): void {
    if (this.missing) return;
    if (this.state === State.Quoted) throw new CsvFormatError('the file ends inside a quoted field', this.position);
    if (this.state === State.FieldStart && this.field === 0) return;
    this.endField();
    this.endRecord();
    this.state = State.FieldStart;
  }

  private endField(): void {
    if (this.wanted()) {
      const parts = this.parts;
      const value: CsvField = parts.length === 0 ? (this.quoted ? '' : null) : (parts.length === 1 ? parts[0]! : Buffer.concat(parts)).toString('utf8');
      if (this.at === undefined) this.header.push(value);
      else this.values[this.at[this.field]!] = value;
    }
    this.parts = [];
    this.quoted = false;
    this.field++;
  }

  private endRecord(): void {
    this.field = 0;
    if (this.at === undefined) {
      const positions = this.columns.map((c) => this.header.indexOf(c));
      this.missing = positions.some((p) => p < 0);
      this.at = this.header.map(() => -1);
      positions.forEach((p, k) => (this.at![p] = k));
      return;
    }
    this.onRow(this.values);
    this.values = this.columns.map(() => null);
  }
}

/**
 * Reads the text of `columns` from every row of an Athena CSV result (header first), calling `onRow` with
 * the values in column order. False when a column is missing (or there is no header): nothing was read.
 */
export async function forEachEntityOfCsv(csv: Uint8Array | AsyncIterable<unknown>, columns: readonly string[], onRow: (values: ReadonlyArray<string | null>) => void): Promise<boolean> {
  const scanner = new EntityColumnScanner(columns, onRow);
  if (csv instanceof Uint8Array) scanner.push(Buffer.from(csv.buffer, csv.byteOffset, csv.byteLength));
  else for await (const chunk of csv) scanner.push(chunk as Buffer);
  scanner.finish();
  return scanner.found;
}
