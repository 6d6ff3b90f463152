import { describe, expect, it } from 'vitest';
import { QueryName, SaveQuery, storedQueryName, TeleportQueryName } from './queries';

describe('storedQueryName: a Teleport audit_query name as a saved query name', () => {
  it('keeps a name that is already a query name', () => {
    expect(storedQueryName('failed_logins')).toBe('failed_logins');
    expect(storedQueryName('root-sessions-2')).toBe('root-sessions-2');
  });

  it("maps Teleport's capitals and dots to a safe name", () => {
    expect(storedQueryName('Failed.Logins')).toBe('failed_logins');
    expect(storedQueryName('SSH.Sessions.Without-MFA')).toBe('ssh_sessions_without-mfa');
    expect(storedQueryName('_Leading')).toBe('leading');
    expect(storedQueryName('New')).toBe('new_query');
  });

  it('cuts names longer than 63 characters, telling apart names with the same prefix', () => {
    const a = `Very.Long.${'x'.repeat(80)}.A`;
    const b = `Very.Long.${'x'.repeat(80)}.B`;
    expect(storedQueryName(a)).toHaveLength(63);
    expect(storedQueryName(a)).not.toBe(storedQueryName(b));
    expect(storedQueryName(a)).toBe(storedQueryName(a));
  });

  it('always gives a valid query name for any name Teleport accepts', () => {
    for (const name of ['Failed.Logins', 'A', '9.9', 'a'.repeat(253), 'X-._y', 'NEW', 'Zhidden.v2']) {
      expect(TeleportQueryName.safeParse(name).success, name).toBe(true);
      expect(QueryName.safeParse(storedQueryName(name)).success, name).toBe(true);
    }
  });

  it('lets a saved query carry its Teleport name, and only a name Teleport accepts', () => {
    const body = { title: 'Failed logins', sql: 'SELECT 1' };
    expect(SaveQuery.parse({ ...body, teleportName: 'Failed.Logins' }).teleportName).toBe('Failed.Logins');
    expect(SaveQuery.parse(body).teleportName).toBeUndefined();
    expect(SaveQuery.safeParse({ ...body, teleportName: 'no spaces allowed' }).success).toBe(false);
  });
});
