import { describe, expect, it } from 'vitest';
import { findingQueryHref } from './finding-query-link';

const WINDOW = { start: '2026-01-08', end: '2026-01-14' };
const params = (href: string) => new URLSearchParams(href.split('?')[1]);

describe('findingQueryHref', () => {
  it("opens the finding's detail SQL over the run's window and runs it", () => {
    const p = params(findingQueryHref({ detailSql: 'SELECT 1', chartSql: 'SELECT 2', chartSeries: 'user' }, WINDOW));
    expect(Object.fromEntries(p)).toEqual({ sql: 'SELECT 1', start: '2026-01-08', end: '2026-01-14', run: '1' });
  });

  it("opens a chart-only finding drawn as its chart: stacked bars per day by the finding's series", () => {
    const p = params(findingQueryHref({ detailSql: null, chartSql: 'SELECT 2', chartSeries: 'user' }, WINDOW));
    expect(p.get('sql')).toBe('SELECT 2');
    expect(p.get('run')).toBe('1');
    expect([p.get('chart'), p.get('x'), p.get('y'), p.get('series')]).toEqual(['stacked-bar', 'event_date', 'count', 'user']);
  });
});
