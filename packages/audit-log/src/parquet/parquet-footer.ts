import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

// Parquet's footer is a Thrift compact-protocol FileMetaData (parquet-format's parquet.thrift):
//   FileMetaData.2 schema: list<SchemaElement>; SchemaElement.4 name, .10 logicalType: LogicalType;
//   LogicalType.8 TIMESTAMP: TimestampType { 1: bool isAdjustedToUTC, 2: TimeUnit unit { 1 MILLIS, 2 MICROS, 3 NANOS } }.
// A compact-protocol bool field carries its value in the field header's type nibble (1 true, 2 false),
// so the flag flips in place without changing the footer's length.

const T = { TRUE: 1, FALSE: 2, BYTE: 3, I16: 4, I32: 5, I64: 6, DOUBLE: 7, BINARY: 8, LIST: 9, SET: 10, MAP: 11, STRUCT: 12, UUID: 13 } as const;
const MAGIC = 'PAR1';

class CompactReader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  byte(): number {
    if (this.pos >= this.buf.length) throw new Error('Parquet footer ends early');
    return this.buf[this.pos++]!;
  }

  /** Unsigned varint; lengths and field ids fit in a JS number, larger values are only skipped. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return value;
      scale *= 128;
    }
  }

  binary(): Buffer {
    const length = this.varint();
    const start = this.pos;
    this.pos += length;
    return this.buf.subarray(start, this.pos);
  }

  /** Calls `field` for each field of the struct at the cursor; it reads the value or returns false to have it skipped. */
  struct(field: (id: number, type: number, headerAt: number) => boolean): void {
    let lastId = 0;
    for (;;) {
      const headerAt = this.pos;
      const header = this.byte();
      if (header === 0) return;
      const type = header & 0x0f;
      const delta = header >> 4;
      const id = delta !== 0 ? lastId + delta : zigzag(this.varint());
      lastId = id;
      if (!field(id, type, headerAt)) this.skip(type);
    }
  }

  /** Element type and count of the list or set at the cursor. */
  listHeader(): { type: number; size: number } {
    const header = this.byte();
    const size = header >> 4;
    return { type: header & 0x0f, size: size === 15 ? this.varint() : size };
  }

  skip(type: number): void {
    switch (type) {
      case T.TRUE:
      case T.FALSE:
        return; // a bool field's value is in its header
      case T.BYTE:
        this.pos += 1;
        return;
      case T.I16:
      case T.I32:
      case T.I64:
        this.varint();
        return;
      case T.DOUBLE:
        this.pos += 8;
        return;
      case T.UUID:
        this.pos += 16;
        return;
      case T.BINARY:
        this.binary();
        return;
      case T.LIST:
      case T.SET: {
        const { type: element, size } = this.listHeader();
        for (let i = 0; i < size; i++) this.skipElement(element);
        return;
      }
      case T.MAP: {
        const size = this.varint();
        if (size === 0) return;
        const types = this.byte();
        for (let i = 0; i < size; i++) {
          this.skipElement(types >> 4);
          this.skipElement(types & 0x0f);
        }
        return;
      }
      case T.STRUCT:
        this.struct(() => false);
        return;
      default:
        throw new Error(`Parquet footer has an unknown Thrift type ${type}`);
    }
  }

  /** Inside a collection a bool takes a byte of its own. */
  private skipElement(type: number): void {
    if (type === T.TRUE || type === T.FALSE) this.pos += 1;
    else this.skip(type);
  }
}

const zigzag = (n: number): number => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);

interface TimestampColumn {
  name: string;
  /** Offset in the footer of the `isAdjustedToUTC` field header, if the column is a TIMESTAMP. */
  flagAt?: number;
  adjusted?: boolean;
  unit?: 'MILLIS' | 'MICROS' | 'NANOS';
}

/** The top-level schema elements of a footer, with where each TIMESTAMP's `isAdjustedToUTC` flag is. */
export function timestampColumnsOf(footer: Buffer): TimestampColumn[] {
  const r = new CompactReader(footer);
  const columns: TimestampColumn[] = [];
  r.struct((id, type) => {
    if (id !== 2 || type !== T.LIST) return false;
    const { size } = r.listHeader();
    for (let i = 0; i < size; i++) {
      const column: TimestampColumn = { name: '' };
      r.struct((field, fieldType) => {
        if (field === 4 && fieldType === T.BINARY) column.name = r.binary().toString('utf8');
        else if (field === 10 && fieldType === T.STRUCT) {
          r.struct((logical, logicalType) => {
            if (logical !== 8 || logicalType !== T.STRUCT) return false;
            r.struct((ts, tsType, headerAt) => {
              if (ts === 1 && (tsType === T.TRUE || tsType === T.FALSE)) {
                column.flagAt = headerAt;
                column.adjusted = tsType === T.TRUE;
                return true;
              }
              if (ts !== 2 || tsType !== T.STRUCT) return false;
              r.struct((unit, unitType) => {
                column.unit = (['MILLIS', 'MICROS', 'NANOS'] as const)[unit - 1];
                r.skip(unitType);
                return true;
              });
              return true;
            });
            return true;
          });
        } else return false;
        return true;
      });
      columns.push(column);
    }
    return true;
  });
  return columns;
}

/**
 * Marks a TIMESTAMP(MILLIS) column of a Parquet file as adjusted to UTC, in place, as Teleport's
 * writer declares `event_time`. DuckDB writes TIMESTAMP_MS with the flag unset and has no option
 * to set it; only the one footer byte changes.
 */
export async function markTimestampAdjustedToUtc(file: string, column: string): Promise<void> {
  // Synchronous I/O on purpose: a few small reads and a one-byte write, where each asynchronous step
  // would wait for a turn of an event loop kept busy generating or parsing the next batch.
  const fd = openSync(file, 'r+');
  try {
    const { size } = fstatSync(fd);
    const tail = Buffer.alloc(8);
    readSync(fd, tail, 0, 8, size - 8);
    if (tail.subarray(4).toString('latin1') !== MAGIC) throw new Error(`${file} is not a Parquet file`);
    const footerLength = tail.readUInt32LE(0);
    const footerStart = size - 8 - footerLength;
    const footer = Buffer.alloc(footerLength);
    readSync(fd, footer, 0, footerLength, footerStart);
    const found = timestampColumnsOf(footer).find((c) => c.name === column);
    if (found?.flagAt === undefined || found.unit !== 'MILLIS') throw new Error(`${file}: column ${column} is not a TIMESTAMP(MILLIS)`);
    if (found.adjusted) return;
    const header = footer[found.flagAt]!;
    writeSync(fd, Buffer.of((header & 0xf0) | T.TRUE), 0, 1, footerStart + found.flagAt);
  } finally {
    closeSync(fd);
  }
}
