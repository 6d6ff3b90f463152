import { describe, expect, it } from 'vitest';
import { LOGIN_WITHOUT_MFA_WHERE, loginUsedMfa } from './login-mfa';

describe('the login MFA rule', () => {
  it('says a local login without an MFA device lacked MFA, and one with a device used it', () => {
    expect(loginUsedMfa({ success: true, method: 'local', mfaDeviceUuid: undefined })).toBe(false);
    expect(loginUsedMfa({ success: true, method: undefined, mfaDeviceUuid: null })).toBe(false);
    expect(loginUsedMfa({ success: true, method: 'local', mfaDeviceUuid: 'c0ffee' })).toBe(true);
  });

  it('does not judge SSO logins, which carry no MFA device, nor failed logins', () => {
    for (const method of ['github', 'oidc', 'saml']) expect(loginUsedMfa({ success: true, method, mfaDeviceUuid: undefined })).toBeNull();
    expect(loginUsedMfa({ success: false, method: 'local', mfaDeviceUuid: undefined })).toBeNull();
  });

  it('selects in SQL exactly the successful local logins without an MFA device', () => {
    expect(LOGIN_WITHOUT_MFA_WHERE).toEqual(['success', "coalesce(method, '') IN ('', 'local')", "coalesce(mfa_device_mfa_device_uuid, '') = ''"]);
  });
});
