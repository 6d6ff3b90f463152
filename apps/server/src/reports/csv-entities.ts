import { CsvRecordScanner, type CsvField } from '@access-monitor/engine';

/**
 * Reads the text of `columns` from every row of an Athena CSV result (header first), calling `onRow` with
 * the values in column order. False when a column is missing (or there is no header): nothing was read.
 */
export async function forEachEntityOfCsv(csv: Uint8Array | AsyncIterable<unknown>, columns: readonly string[], onRow: (values: ReadonlyArray<string | null>) => void): Promise<boolean> {
  let at: number[] | undefined;
  let missing = false;
  const scanner = new CsvRecordScanner((fields: CsvField[] | undefined) => {
    if (!fields || missing) return;
    if (!at) {
      at = columns.map((c) => fields.indexOf(c));
      missing = at.some((i) => i < 0);
      return;
    }
    onRow(at.map((i) => fields[i] ?? null));
  });
  if (csv instanceof Uint8Array) scanner.push(Buffer.from(csv.buffer, csv.byteOffset, csv.byteLength));
  else for await (const chunk of csv) scanner.push(chunk as Buffer);
  scanner.finish();
  return !missing && at !== undefined;
}
