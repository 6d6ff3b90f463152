import { describe, expect, it } from 'vitest';
import { filterParams, filtersFromParams, hasFilters, withFilters } from './overview-filters';

describe('overview filters in the URL', () => {
  it('reads the filters a link carries, dropping values the server would refuse', () => {
    const params = new URLSearchParams({ days: '30', user: "o'brien-zoë", protocol: 'db', cluster: 'east', host: 'web\u000101' });
    expect(filtersFromParams(params)).toEqual({ user: "o'brien-zoë", protocol: 'db', cluster: 'east' });
    expect(filtersFromParams(new URLSearchParams({ protocol: 'telnet', user: '' }))).toEqual({});
    expect(filtersFromParams(new URLSearchParams({ user: 'a'.repeat(257) }))).toEqual({});
  });

  it('writes filters beside the window and removes cleared ones', () => {
    const set = withFilters(new URLSearchParams({ days: '30' }), { user: ' alice ', protocol: 'ssh' });
    expect(set.toString()).toBe('days=30&user=alice&protocol=ssh');
    expect(withFilters(set, {}).toString()).toBe('days=30');
    expect(hasFilters({})).toBe(false);
    expect(hasFilters({ host: 'web-01' })).toBe(true);
  });

  it('asks the API with the filters in one order, so equal filters share a cache entry', () => {
    expect(filterParams({ host: 'h', user: 'u' })).toEqual({ user: 'u', host: 'h' });
    expect(Object.keys(filterParams({ host: 'h', user: 'u' }))).toEqual(['user', 'host']);
  });
});
