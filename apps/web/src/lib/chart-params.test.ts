import { describe, expect, it } from 'vitest';
import { parseChart, writeChart } from './chart-params';
import { paths } from './paths';

describe('chart params', () => {
  it('round-trips a chart with several Y columns through the address', () => {
    const params = new URLSearchParams('sql=SELECT+1');
    writeChart(params, { type: 'stacked-bar', x: 'event_date', y: 'with_mfa', moreY: ['without_mfa'] });
    expect(params.toString()).toBe('sql=SELECT+1&chart=stacked-bar&x=event_date&y=with_mfa&y=without_mfa');
    expect(parseChart(params)).toEqual({ type: 'stacked-bar', x: 'event_date', y: 'with_mfa', moreY: ['without_mfa'] });
  });

  it('reads chart=none as a hidden chart and a malformed chart as none given', () => {
    expect(parseChart(new URLSearchParams('chart=none'))).toBeNull();
    expect(parseChart(new URLSearchParams('chart=pie&x=a&y=b'))).toBeUndefined();
    expect(parseChart(new URLSearchParams('sql=x'))).toBeUndefined();
  });
});

describe('paths.newQuery', () => {
  it('links "Open query" to the editor with the chart and a run on arrival', () => {
    const href = paths.newQuery({ sql: 'SELECT 1', days: 7, run: true, chart: { type: 'bar', x: 'user', y: 'sessions' } });
    const params = new URLSearchParams(href.split('?')[1]);
    expect(href.startsWith('/queries/new?')).toBe(true);
    expect(params.get('run')).toBe('1');
    expect(params.get('sql')).toBe('SELECT 1');
    expect(parseChart(params)).toEqual({ type: 'bar', x: 'user', y: 'sessions' });
    expect(paths.newQuery({ sql: 'SELECT 1' })).toBe('/queries/new?sql=SELECT+1');
  });
});
