import { describe, expect, it } from 'vitest';
import type { ColumnInfo } from '@access-monitor/contracts';
import { chartData, chartFits, MAX_SERIES, OTHER_SERIES, suggestChart } from './chart-data';

const columns: ColumnInfo[] = [
  { name: 'day', type: 'date' },
  { name: 'protocol', type: 'varchar' },
  { name: 'sessions', type: 'bigint' },
];

describe('chartData', () => {
  it('draws one point per x with the y column as the only series when there is no series column', () => {
    const rows = [
      ['2026-01-01', 'ssh', 3],
      ['2026-01-02', 'ssh', 5],
      ['2026-01-01', 'db', 1],
    ];
    expect(chartData(columns, rows, { type: 'bar', x: 'day', y: 'sessions' })).toEqual({
      points: [
        { x: '2026-01-01', sessions: 4 },
        { x: '2026-01-02', sessions: 5 },
      ],
      series: ['sessions'],
    });
  });

  it('pivots the series column into one key per value, largest first, with zeros where a series has no row', () => {
    const rows = [
      ['2026-01-01', 'ssh', 3],
      ['2026-01-02', 'ssh', 5],
      ['2026-01-01', 'db', 1],
      ['2026-01-02', null, 2],
    ];
    expect(chartData(columns, rows, { type: 'stacked-bar', x: 'day', y: 'sessions', series: 'protocol' })).toEqual({
      points: [
        { x: '2026-01-01', ssh: 3, NULL: 0, db: 1 },
        { x: '2026-01-02', ssh: 5, NULL: 2, db: 0 },
      ],
      series: ['ssh', 'NULL', 'db'],
    });
  });

  it('draws several Y columns as one series each, in the order they were picked (MFA coverage: with and without)', () => {
    const mfa: ColumnInfo[] = [
      { name: 'event_date', type: 'date' },
      { name: 'with_mfa', type: 'bigint' },
      { name: 'without_mfa', type: 'bigint' },
    ];
    const rows = [
      ['2026-01-01', 1, 9],
      ['2026-01-02', 4, 2],
    ];
    expect(chartData(mfa, rows, { type: 'stacked-bar', x: 'event_date', y: 'with_mfa', moreY: ['without_mfa'] })).toEqual({
      points: [
        { x: '2026-01-01', with_mfa: 1, without_mfa: 9 },
        { x: '2026-01-02', with_mfa: 4, without_mfa: 2 },
      ],
      series: ['with_mfa', 'without_mfa'],
    });
  });

  it('names each series by its value and its Y column when there are a series column and several Y columns', () => {
    const both: ColumnInfo[] = [...columns, { name: 'users', type: 'bigint' }];
    const { series, points } = chartData(both, [['2026-01-01', 'ssh', 3, 2]], { type: 'line', x: 'day', y: 'sessions', moreY: ['users'], series: 'protocol' });
    expect(series).toEqual(['ssh · sessions', 'ssh · users']);
    expect(points).toEqual([{ x: '2026-01-01', 'ssh · sessions': 3, 'ssh · users': 2 }]);
  });

  it(`sums series beyond the ${MAX_SERIES} largest into "other"`, () => {
    const rows = Array.from({ length: 20 }, (_, i) => ['d', `user${i}`, 100 - i]);
    const { series, points } = chartData(columns, rows, { type: 'bar', x: 'day', y: 'sessions', series: 'protocol' });
    expect(series).toHaveLength(MAX_SERIES);
    expect(series.at(-1)).toBe(OTHER_SERIES);
    expect(points[0]![OTHER_SERIES]).toBe([...Array(9).keys()].reduce((sum, i) => sum + (100 - 11 - i), 0));
  });
});

describe('suggestChart and chartFits', () => {
  it('suggests x from the first column and y from the first numeric one, and checks saved specs against the result', () => {
    expect(suggestChart(columns)).toEqual({ type: 'bar', x: 'day', y: 'sessions' });
    expect(suggestChart([{ name: 'user', type: 'varchar' }])).toBeUndefined();
    expect(chartFits(columns, { type: 'line', x: 'day', y: 'sessions', series: 'protocol' })).toBe(true);
    expect(chartFits(columns, { type: 'line', x: 'day', y: 'logins' })).toBe(false);
    expect(chartFits(columns, { type: 'line', x: 'day', y: 'sessions', moreY: ['logins'] })).toBe(false);
  });
});
