import { Transform } from 'node:stream';
import { athenaCsvLine } from './athena-csv';
import { CsvRecordScanner } from './csv-record-scanner';

/** What a spreadsheet takes for the start of a formula (OWASP "CSV injection"): `=`, `+`, `-`, `@`, tab, carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number such as `-3` or `+1.5e3`: no spreadsheet reads it as a formula, so it stays a number. */
const PLAIN_NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * A cell a spreadsheet shows as text: one that would start a formula gets OWASP's single-quote prefix
 * (`=HYPERLINK(…)` → `'=HYPERLINK(…)`). Anything else, plain numbers included, is unchanged.
 */
export function spreadsheetSafeCell(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/**
 * A streaming transform from a result CSV in Athena's format to the same CSV with every cell made
 * spreadsheet-safe (header included: column names are user SQL too). Records are re-written in
 * Athena's quoting (every value quoted, NULL an unquoted empty field), so a result with nothing to
 * neutralise comes out byte for byte as it went in. Memory stays bounded by one record; backpressure
 * is the pipeline's.
 */
export function spreadsheetSafeCsv(): Transform {
  let pending: string[] = [];
  const scanner = new CsvRecordScanner((fields) => {
    pending.push(athenaCsvLine(fields!.map((f) => (f === null ? null : spreadsheetSafeCell(f)))));
  });
  const take = (): string | undefined => {
    if (pending.length === 0) return undefined;
    const out = pending.join('');
    pending = [];
    return out;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        scanner.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      } catch (e) {
        callback(e as Error);
        return;
      }
      callback(null, take());
    },
    flush(callback) {
      try {
        scanner.finish();
      } catch (e) {
        callback(e as Error);
        return;
      }
      callback(null, take());
    },
  });
}
