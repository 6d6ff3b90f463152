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

  /**
   * @param origin byte offset of the first byte pushed, so reported offsets are file offsets.
   * @param collect false to find record boundaries only (building the row index), without decoding fields.
   */
  constructor(
    private readonly sink: RecordSink,
    origin = 0,
    private readonly collect = true,
  ) {
    this.position = origin;
    this.recordStart = origin;
  }

  push(chunk: Buffer): void {
    const base = this.position;
    const n = chunk.length;
    let segment = 0;
    let state = this.state;
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
          if (this.collect && q > segment) this.parts.push(chunk.subarray(segment, q));
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
            this.endField();
            state = State.FieldStart;
          } else if (b === LF) {
            this.endField();
            this.endRecord(base + i + 1);
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
            this.endField();
          } else if (b === LF) {
            this.endField();
            this.endRecord(base + i + 1);
          } else if (b !== CR) {
            segment = i;
            state = State.Unquoted;
          }
          break;
        case State.Unquoted:
          if (b === COMMA || b === LF || b === CR) {
            if (this.collect && i > segment) this.parts.push(chunk.subarray(segment, i));
            segment = i + 1;
            if (b === CR) break; // dropped: only CRLF line ends are expected outside quotes
            this.endField();
            state = State.FieldStart;
            if (b === LF) this.endRecord(base + i + 1);
          }
          break;
      }
    }
    if (this.collect) {
      if ((state === State.Quoted || state === State.Unquoted) && n > segment) this.parts.push(chunk.subarray(segment, n));
      // The field continues in the next chunk: copy what is pending, since callers may reuse their buffers.
      if (this.parts.length > 0) this.parts = [Buffer.concat(this.parts)];
    }
    this.state = state;
    this.position = base + n;
  }

  /** Call at end of input: emits a last record without a trailing newline, refuses an open quote. */
  finish(): void {
    if (this.state === State.Quoted) throw new CsvFormatError('the file ends inside a quoted field', this.position);
    if (this.state === State.FieldStart && this.fields.length === 0) return;
    this.endField();
    this.endRecord(this.position);
    this.state = State.FieldStart;
  }

  private endField(): void {
    if (this.collect) {
      const parts = this.parts;
      let value: CsvField;
      if (parts.length === 0) value = this.quoted ? '' : null;
      else value = (parts.length === 1 ? parts[0]! : Buffer.concat(parts)).toString('utf8');
      this.fields.push(value);
      this.parts = [];
    } else {
      this.fields.length++;
    }
    this.quoted = false;
  }

  private endRecord(next: number): void {
    const fields = this.fields;
    this.fields = [];
    const start = this.recordStart;
    this.recordStart = next;
    this.sink(this.collect ? fields : undefined, start, next);
  }
}
