import type { DateWindow } from '@access-monitor/contracts';
import { renderExecutable } from './render';
import { AUDIT_EVENTS, VIEWS } from './views';

/** What `renderExecutable(…, { dialect: 'trino' })` was given, read back from the text it produced. */
export interface RenderedStatement {
  /** The user's statement, exactly as it was before the views were prepended. */
  sql: string;
  /** The views it reads, in the order they were rendered. */
  views: string[];
  /** Absent when the statement reads no view (nothing in the text names a window). */
  window?: DateWindow;
  /** `database.table` the views read; absent when it reads no view. */
  table?: string;
}

const READABLE = [AUDIT_EVENTS, ...VIEWS.map((v) => v.name)];
const WINDOW = /event_date BETWEEN date '(\d{4}-\d{2}-\d{2})' AND date '(\d{4}-\d{2}-\d{2})'/;
const TABLE = /\bFROM ([A-Za-z0-9_]{1,255}\.[A-Za-z0-9_]{1,255}) WHERE /;

/**
 * The inverse of the Trino rendering: splits a statement Athena received back into the user's SQL,
 * the views and the window. Used where only Athena's copy of the query is at hand (an execution
 * another server instance started; the test peer that runs Athena's SQL on DuckDB). The answer is
 * checked by rendering it again, so it is never a guess about the text; a tampered CTE can still
 * come back as the user's own CTE over the table, so callers guard the SQL before trusting it. A statement reading no view renders to itself and comes back as `{ sql, views: [] }`.
 */
export function recoverRenderedStatement(text: string): RenderedStatement | undefined {
  const windowMatch = WINDOW.exec(text);
  const tableMatch = TABLE.exec(text);
  const plain = { sql: text, views: [] };
  if (!windowMatch || !tableMatch) return plain;
  const window = { start: windowMatch[1]!, end: windowMatch[2]! };
  const table = tableMatch[1]!;
  let ctes: Map<string, string>;
  try {
    ctes = new Map(READABLE.map((name) => [name, renderedCte(name, window, table)]));
  } catch {
    return undefined; // not a calendar window: renderExecutable never wrote it
  }

  // The CTE list starts right after a `WITH\n` the renderer wrote; a comment may hold another one first.
  for (let withAt = text.indexOf('WITH\n'); withAt >= 0; withAt = text.indexOf('WITH\n', withAt + 1)) {
    let at = withAt + 'WITH\n'.length;
    const views: string[] = [];
    for (;;) {
      const name = [...ctes].find(([, cte]) => text.startsWith(cte, at))?.[0];
      if (name === undefined) break;
      views.push(name);
      at += ctes.get(name)!.length;
      if (!text.startsWith(',\n', at) || ![...ctes.values()].some((cte) => text.startsWith(cte, at + 2))) break;
      at += 2;
    }
    if (views.length === 0) continue;
    // `\n` then the statement: the views were prepended with their own WITH. `,`: merged into the user's WITH list.
    const candidates = [text.slice(0, withAt) + text.slice(at + 1), text.slice(0, withAt + 'WITH'.length) + text.slice(at + 1)];
    for (const sql of candidates) {
      try {
        if (renderExecutable({ sql, explain: false, views, columnNames: null }, window, { dialect: 'trino', table }) === text) return { sql, views, window, table };
      } catch {
        // not this split
      }
    }
  }
  // A statement reading no view may still mention such text (in a string literal, say).
  return renderExecutable({ ...plain, explain: false, columnNames: null }, window, { dialect: 'trino', table }) === text ? plain : undefined;
}

/** The text of one view's CTE, as renderExecutable writes it for this window and table. */
function renderedCte(name: string, window: DateWindow, table: string): string {
  const probe = 'SELECT 1';
  const rendered = renderExecutable({ sql: probe, explain: false, views: [name], columnNames: null }, window, { dialect: 'trino', table });
  return rendered.slice('WITH\n'.length, rendered.length - probe.length - 1);
}
