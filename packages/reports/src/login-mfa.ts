// The one rule for whether a login lacked MFA: the timeline (per event) and the "Logins without MFA" finding (in SQL) both use it.
import { sqlStringList } from '@access-monitor/sql';

/**
 * Login methods whose second factor Teleport records. SSO logins (github, oidc, saml) get MFA from the identity
 * provider and carry no MFA device, so Teleport cannot say whether they lacked it; '' is an event without a method.
 */
export const MFA_RECORDING_LOGIN_METHODS = ['', 'local'] as const;

export interface LoginFacts {
  success: boolean;
  method: string | null | undefined;
  mfaDeviceUuid: string | null | undefined;
}

/** Whether a login used MFA; null when the audit log cannot tell (a failed login, or SSO). */
export function loginUsedMfa(login: LoginFacts): boolean | null {
  if (!login.success) return null;
  if (!(MFA_RECORDING_LOGIN_METHODS as readonly string[]).includes(login.method ?? '')) return null;
  return typeof login.mfaDeviceUuid === 'string' && login.mfaDeviceUuid !== '';
}

/** The same rule over the `user_login` view: the conditions (ANDed) that select the logins `loginUsedMfa` calls false. */
export const LOGIN_WITHOUT_MFA_WHERE: readonly string[] = [
  'success',
  `coalesce(method, '') IN (${sqlStringList(MFA_RECORDING_LOGIN_METHODS)})`,
  "coalesce(mfa_device_mfa_device_uuid, '') = ''",
];
