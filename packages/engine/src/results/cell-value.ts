import type { Cell } from '@access-monitor/contracts';
import type { CsvField } from './csv-record-scanner';

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'integer', 'bigint']);
const FLOAT_TYPES = new Set(['real', 'double']);
const INTEGER_TEXT = /^-?\d+$/;

/**
 * A CSV field as JSON, by the column's Athena type: whole numbers and doubles as numbers when a
 * double holds them exactly (else the text, so nothing is rounded), booleans as booleans, NULL as
 * null, everything else (decimal, date, timestamp, varchar, arrays…) as the text Athena printed.
 */
export function cellValue(field: CsvField, type: string): Cell {
  if (field === null) return null;
  if (INTEGER_TYPES.has(type)) {
    if (!INTEGER_TEXT.test(field)) return field;
    const n = Number(field);
    return Number.isSafeInteger(n) ? n : field;
  }
  if (FLOAT_TYPES.has(type)) {
    const n = Number(field);
    return field.trim() !== '' && Number.isFinite(n) ? n : field;
  }
  if (type === 'boolean') {
    if (field === 'true') return true;
    if (field === 'false') return false;
    return field;
  }
  return field;
}
