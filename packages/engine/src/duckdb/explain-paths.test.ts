import { describe, expect, it } from 'vitest';
import { stripServerPaths } from './explain-paths';

const box = (lines: string[][]) => lines.map((cols) => cols.map((c) => `│${c.padStart(Math.floor((27 + c.length) / 2)).padEnd(27)}│`).join('')).join('\n');

describe('stripServerPaths', () => {
  it('removes a folder from plain text, such as the statement EXPLAIN ANALYZE echoes', () => {
    expect(stripServerPaths("read_parquet(['/srv/am/events/2026-01-12/c.parquet'])", ['/srv/am/events'])).toBe("read_parquet(['2026-01-12/c.parquet'])");
  });

  it('removes a folder wrapped over the lines of a box, beside another box, keeping every line as wide as before', () => {
    const plan = box([
      ['Filename(s):', 'HASH_JOIN'],
      ['/srv/am/events', '/srv/am/events-not'],
      ['/2026-01-12/c.parquet', 'a label'],
    ]);
    const out = stripServerPaths(plan, ['/srv/am/events']);
    expect(out).not.toContain('/srv/am/events/');
    expect(out.replace(/[│\s]/g, '')).toBe('Filename(s):HASH_JOIN/srv/am/events-not2026-01-12/c.parquetalabel');
    expect(out.split('\n').map((l) => l.length)).toEqual(plan.split('\n').map((l) => l.length));
  });
});
