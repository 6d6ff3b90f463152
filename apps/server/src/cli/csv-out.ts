import type { Cell } from '@access-monitor/contracts';
import { spreadsheetSafeCell } from '@access-monitor/engine';

/**
 * RFC 4180 field: quoted only when it must be; NULL is an empty field. Text that would start a spreadsheet
 * formula is prefixed with `'` and quoted (OWASP), unless `raw` asks for the value exactly.
 */
export function csvField(v: Cell, opts: { raw?: boolean } = {}): string {
  if (v === null) return '';
  const s = String(v);
  const text = opts.raw || typeof v !== 'string' ? s : spreadsheetSafeCell(s);
  return text !== s || /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: Cell[], opts: { raw?: boolean } = {}): string {
  return `${cells.map((c) => csvField(c, opts)).join(',')}\r\n`;
}
