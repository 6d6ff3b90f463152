import { describe, expect, it } from 'vitest';
import { summarizeEvent } from './event-summary';

describe('the timeline MFA mark on logins', () => {
  it('does not mark an SSO login as lacking MFA (the "Logins without MFA" finding leaves it out too)', () => {
    expect(summarizeEvent('user.login', { success: true, method: 'github', user: 'alice' }).mfa).toBeNull();
  });

  it('marks a local password login without an MFA device as lacking MFA, and one with a device as MFA', () => {
    expect(summarizeEvent('user.login', { success: true, method: 'local', user: 'bob' }).mfa).toBe(false);
    const withDevice = summarizeEvent('user.login', { success: true, method: 'local', mfa_device: { mfa_device_uuid: 'c0ffee', mfa_device_name: 'yubikey' } });
    expect(withDevice.mfa).toBe(true);
  });
});
