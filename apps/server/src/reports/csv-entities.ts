import { CsvRecordScanner, type CsvField } from '@access-monitor/engine';

/**
 * Reads the text of `columns` from every row of an Athena CSV, chunk by chunk, with the engine's CSV scanner
 * (RFC 4180 as Athena writes it: NULL is an unquoted empty field, `""` a quote, CRLF a line end) decoding only
 * those columns: a finding of 60k rows and 20 columns is read in a tenth of the time of decoding every field.
 */
export class EntityColumnScanner {
  private readonly scanner: CsvRecordScanner;
  /** Per field index of a record, its place among `columns` (-1: not read); undefined until the header has been read. */
  private at: number[] | undefined;
  /** A column is missing from the header: nothing is read. */
  missing = false;

  constructor(
    private readonly columns: readonly string[],
    private readonly onRow: (values: ReadonlyArray<string | null>) => void,
  ) {
    this.scanner = new CsvRecordScanner(
      (fields) => this.record(fields!),
      0,
      (field) => this.at === undefined || (!this.missing && field < this.at.length && this.at[field]! >= 0),
    );
  }

  /** Whether the header held every column (false before it has been read). */
  get found(): boolean {
    return this.at !== undefined && !this.missing;
  }

  push(chunk: Buffer): void {
    if (!this.missing) this.scanner.push(chunk);
  }

  /** Call at end of input: reads a last record without a trailing newline, refuses an open quote. */
  finish(): void {
    if (!this.missing) this.scanner.finish();
  }

  private record(fields: CsvField[]): void {
    if (this.at === undefined) {
      const positions = this.columns.map((c) => fields.indexOf(c));
      this.missing = positions.some((p) => p < 0);
      this.at = fields.map(() => -1);
      positions.forEach((p, k) => {
        if (p >= 0) this.at![p] = k;
      });
      return;
    }
    if (this.missing) return;
    const values: Array<string | null> = this.columns.map(() => null);
    for (let i = 0; i < fields.length && i < this.at.length; i++) if (this.at[i]! >= 0) values[this.at[i]!] = fields[i] ?? null;
    this.onRow(values);
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
