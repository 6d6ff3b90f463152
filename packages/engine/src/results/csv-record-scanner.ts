/** A CSV field: text, or null for an unquoted empty field (how Athena writes NULL). */
export type CsvField = string | null;

/** The bytes are not RFC 4180 CSV (e.g. a quote in the middle of a quoted field, or the file ends inside quotes). */
export class CsvFormatError extends Error {
  override readonly name = 'CsvFormatError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
  }
}

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
 * Receives each record: its fields (undefined when the scanner only finds boundaries) and the byte
 * offsets where it starts and where the next one starts.
 */
export type RecordSink = (fields: CsvField[] | undefined, start: number, next: number) => void;

/**
 * Streaming RFC 4180 parser over bytes. Quoted fields may hold commas, quotes (doubled) and
 * newlines; CRLF is accepted as a line end. Works on bytes, which is safe for UTF-8 because no
 * multi-byte sequence contains an ASCII byte; fields are decoded once complete.
 */
export class CsvRecordScanner {
  private state = State.FieldStart;
  private position: number;
  private recordStart: number;
  private fields: CsvField[] = [];
  private parts: Buffer[] = [];
  private quoted = false;
  private readonly collect: boolean;
  /** Whether the field being read is decoded. */
  private keep: boolean;

  /**
   * @param origin byte offset of the first byte pushed, so reported offsets are file offsets.
   * @param decode which fields to decode: true (all), false to find record boundaries only (building the row
   *   index; the sink gets no fields), or a choice by the field's index in its record, asked at each field's
   *   start (a field not decoded reads as null): reading a few columns of a wide result costs a fraction.
   */
  constructor(
    private readonly sink: RecordSink,
    origin = 0,
    decode: boolean | ((field: number) => boolean) = true,
  ) {
    this.position = origin;
    this.recordStart = origin;
    this.collect = decode !== false;
    this.decodes = typeof decode === 'function' ? decode : () => decode;
    this.keep = this.decodes(0);
  }

  private readonly decodes: (field: number) => boolean;

  push(chunk: Buffer): void {
    const base = this.position;
    const n = chunk.length;
    let segment = 0;
    let state = this.state;
    let keep = this.keep;
    for (let i = 0; i < n; i++) {
      const b = chunk[i]!;
      switch (state) {
        case State.Quoted: {
          // Jump to the next quote: most of a quoted field is plain text.
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
            // `""` inside quotes is one quote: keep the second one as the start of the next segment.
            segment = i;
            state = State.Quoted;
          } else if (b === COMMA) {
            keep = this.endField();
            state = State.FieldStart;
          } else if (b === LF) {
            this.endField();
            keep = this.endRecord(base + i + 1);
            state = State.FieldStart;
          } else if (b !== CR) {
            throw new CsvFormatError('unexpected character after a closing quote', base + i);
          }
          break;
        case State.FieldStart:
          if (b === QUOTE) {
            this.quoted = true;
            segment = i + 1;
            state = State.Quoted;
          } else if (b === COMMA) {
            keep = this.endField();
          } else if (b === LF) {
            this.endField();
            keep = this.endRecord(base + i + 1);
          } else if (b !== CR) {
            segment = i;
            state = State.Unquoted;
          }
          break;
        case State.Unquoted: {
          // Jump to the end of the field: an unquoted field holds no quote, comma or line end.
          let j = i;
          while (j < n && chunk[j] !== COMMA && chunk[j] !== LF && chunk[j] !== CR) j++;
          i = j;
          if (j === n) break;
          const c = chunk[j]!;
          if (keep && j > segment) this.parts.push(chunk.subarray(segment, j));
          segment = j + 1;
          if (c === CR) break; // dropped: only CRLF line ends are expected outside quotes
          keep = this.endField();
          state = State.FieldStart;
          if (c === LF) keep = this.endRecord(base + j + 1);
          break;
        }
      }
    }
    if (keep) {
      if ((state === State.Quoted || state === State.Unquoted) && n > segment) this.parts.push(chunk.subarray(segment, n));
      // The field continues in the next chunk: copy what is pending, since callers may reuse their buffers.
      if (this.parts.length > 0) this.parts = [Buffer.concat(this.parts)];
    }
    this.keep = keep;
    this.state = state;
    this.position = base + n;
  }

  /** Call at end of input: emits a last record without a trailing newline, refuses an open quote. */
  finish(): void {
    if (this.state === State.Quoted) throw new CsvFormatError('the file ends inside a quoted field', this.position);
    if (this.state === State.FieldStart && this.fields.length === 0) return;
    this.endField();
    this.keep = this.endRecord(this.position);
    this.state = State.FieldStart;
  }

  /** Ends the field being read; whether the next one is decoded. */
  private endField(): boolean {
    if (this.keep) {
      const parts = this.parts;
      let value: CsvField;
      if (parts.length === 0) value = this.quoted ? '' : null;
      else value = (parts.length === 1 ? parts[0]! : Buffer.concat(parts)).toString('utf8');
      this.fields.push(value);
      this.parts = [];
    } else if (this.collect) {
      this.fields.push(null);
    } else {
      this.fields.length++;
    }
    this.quoted = false;
    this.keep = this.decodes(this.fields.length);
    return this.keep;
  }

  /** Ends the record; whether the first field of the next one is decoded (the sink may change the choice). */
  private endRecord(next: number): boolean {
    const fields = this.fields;
    this.fields = [];
    const start = this.recordStart;
    this.recordStart = next;
    this.sink(this.collect ? fields : undefined, start, next);
    this.keep = this.decodes(0);
    return this.keep;
  }
}
