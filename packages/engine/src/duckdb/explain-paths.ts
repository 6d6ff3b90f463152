import path from 'node:path';

const BOX_SEGMENT = /│([^│\n]*)│/g;

interface Segment {
  line: number;
  /** Where the box's inner text starts in the line, and its width. */
  start: number;
  width: number;
  text: string;
}

/**
 * EXPLAIN / EXPLAIN ANALYZE text without the server's folders: `<dir>/2026-01-12/chunk-0.parquet` becomes
 * `2026-01-12/chunk-0.parquet`. DuckDB draws plans in boxes and wraps long text (file names) over several lines
 * of a box, so a folder is also looked for in each box's text joined across its lines, and a box line that loses
 * characters is centred again at the same width, keeping the drawing intact.
 */
export function stripServerPaths(text: string, dirs: readonly string[]): string {
  const prefixes = [...new Set(dirs.filter((d) => d.length > 1).map((d) => (d.endsWith(path.sep) ? d : `${d}${path.sep}`)))].sort((a, b) => b.length - a.length);
  if (prefixes.length === 0) return text;
  const lines = text.split('\n');

  // Box text, per column (the box's left edge) and run of consecutive lines.
  const open = new Map<number, Segment[]>();
  const streams: Segment[][] = [];
  lines.forEach((line, i) => {
    const seen = new Set<number>();
    for (const m of line.matchAll(BOX_SEGMENT)) {
      const column = m.index;
      seen.add(column);
      const segment = { line: i, start: column + 1, width: m[1]!.length, text: m[1]!.trim() };
      const run = open.get(column);
      if (run && run.at(-1)!.line === i - 1) run.push(segment);
      else {
        const fresh = [segment];
        open.set(column, fresh);
        streams.push(fresh);
      }
    }
    for (const column of open.keys()) if (!seen.has(column)) open.delete(column);
  });
  for (const run of streams) rewriteRun(run, prefixes, lines);

  // Text outside boxes (the statement EXPLAIN ANALYZE echoes, error text): plain replacement.
  return lines.map((line) => (line.includes('│') ? line : removeAll(line, prefixes))).join('\n');
}

function removeAll(s: string, prefixes: readonly string[]): string {
  let out = s;
  for (const p of prefixes) out = out.replaceAll(p, '');
  return out;
}

/** Removes every prefix found in the run's joined text from the lines it spans, re-centring each changed line. */
function rewriteRun(run: Segment[], prefixes: readonly string[], lines: string[]): void {
  const joined = run.map((s) => s.text).join('');
  const removed = new Uint8Array(joined.length);
  let any = false;
  for (const p of prefixes) {
    for (let at = joined.indexOf(p); at >= 0; at = joined.indexOf(p, at + p.length)) {
      if (removed[at]) continue;
      removed.fill(1, at, at + p.length);
      any = true;
    }
  }
  if (!any) return;
  let offset = 0;
  for (const s of run) {
    let kept = '';
    for (let j = 0; j < s.text.length; j++) if (!removed[offset + j]) kept += s.text[j];
    offset += s.text.length;
    if (kept === s.text) continue;
    const left = Math.floor((s.width - kept.length) / 2);
    const inner = `${' '.repeat(Math.max(0, left))}${kept}`.padEnd(s.width, ' ');
    const line = lines[s.line]!;
    lines[s.line] = `${line.slice(0, s.start)}${inner}${line.slice(s.start + s.width)}`;
  }
}
