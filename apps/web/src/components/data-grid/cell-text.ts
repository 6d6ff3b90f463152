import type { Cell } from '@access-monitor/contracts';
import { isoInstant } from '../time-format';

const TIMESTAMP_TYPE = /^timestamp/i;

/** A cell as copied text: NULL is empty, a timestamp ISO 8601 with its `Z` (whatever zone it is shown in), else as the server sent it. */
export const cellText = (value: Cell, type = ''): string =>
  value === null ? '' : typeof value === 'string' && TIMESTAMP_TYPE.test(type) ? isoInstant(value) : String(value);

/** A row as copied text: tab-separated, like a spreadsheet pastes it. Tabs and newlines inside values become spaces. */
export const rowText = (row: readonly Cell[], types: readonly string[] = []): string =>
  row.map((v, i) => cellText(v, types[i]).replace(/[\t\r\n]+/g, ' ')).join('\t');

/** The parsed JSON of a cell holding a JSON object or array (`event_data`), else undefined. */
export function jsonOf(value: Cell): unknown {
  if (typeof value !== 'string') return undefined;
  const text = value.trimStart();
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Writes to the clipboard; where the Clipboard API is refused, through a selected text area. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    try {
      return document.execCommand('copy');
    } finally {
      area.remove();
    }
  }
}
