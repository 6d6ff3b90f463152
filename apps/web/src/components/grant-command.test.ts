import { describe, expect, it } from 'vitest';
import { localGrantCommand } from './grant-command';

describe('localGrantCommand', () => {
  it('adds the role to a user who has none, replacing the existing entry', () => {
    expect(localGrantCommand('visitor', [], 'auditor')).toBe('access-monitor users add visitor --roles auditor --replace');
  });

  it('keeps the roles the user already has', () => {
    expect(localGrantCommand('alice@example.com', ['auditor'], 'editor')).toBe('access-monitor users add alice@example.com --roles auditor,editor --replace');
    expect(localGrantCommand('bob', ['auditor'], 'auditor')).toBe('access-monitor users add bob --roles auditor --replace');
  });

  it('quotes a name the shell would split or expand', () => {
    expect(localGrantCommand("o'brien $HOME", [], 'auditor')).toBe(`access-monitor users add 'o'\\''brien $HOME' --roles auditor --replace`);
  });
});
