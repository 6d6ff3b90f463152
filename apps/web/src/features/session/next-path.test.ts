import { describe, expect, it } from 'vitest';
import { loginPathFor, safeNextPath } from './next-path';

describe('safeNextPath', () => {
  it('keeps a same-origin path with its query, so the view is restored', () => {
    expect(safeNextPath('/queries/new?sql=SELECT%201&days=30')).toBe('/queries/new?sql=SELECT%201&days=30');
    expect(safeNextPath('/?days=90')).toBe('/?days=90');
  });

  it('refuses protocol-relative and backslash paths that browsers send to another host', () => {
    expect(safeNextPath('//evil.example/phish')).toBeUndefined();
    expect(safeNextPath('/\\evil.example')).toBeUndefined();
    expect(safeNextPath('/\t/evil.example')).toBeUndefined();
    expect(safeNextPath('/%0a/evil.example')).toBe('/%0a/evil.example');
  });

  it('refuses absolute URLs, schemes and relative paths', () => {
    expect(safeNextPath('https://evil.example/')).toBeUndefined();
    expect(safeNextPath('javascript:alert(1)')).toBeUndefined();
    expect(safeNextPath('queries/new')).toBeUndefined();
    expect(safeNextPath('')).toBeUndefined();
    expect(safeNextPath(null)).toBeUndefined();
  });

  it('never sends the user back to the login page', () => {
    expect(safeNextPath('/login?next=/')).toBeUndefined();
  });
});

describe('loginPathFor', () => {
  it('remembers the path and query the user asked for', () => {
    expect(loginPathFor({ pathname: '/queries/new', search: '?days=30' })).toBe('/login?next=%2Fqueries%2Fnew%3Fdays%3D30');
  });

  it('leaves out a next that would only lead home or back to the login page', () => {
    expect(loginPathFor({ pathname: '/', search: '' })).toBe('/login');
    expect(loginPathFor({ pathname: '/login', search: '?next=/x' })).toBe('/login');
  });

  it('round-trips through safeNextPath', () => {
    const login = new URL(loginPathFor({ pathname: '/queries/new', search: '?sql=a%26b' }), 'http://x');
    expect(safeNextPath(login.searchParams.get('next'))).toBe('/queries/new?sql=a%26b');
  });
});
