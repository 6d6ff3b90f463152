import { RetryLater } from '../domain-errors';

/** The request carries no valid credential, or a login was refused (→ 401 problem). */
export class Unauthenticated extends Error {
  override name = 'Unauthenticated';
  constructor(message = 'authentication required') {
    super(message);
  }
}

/** Too many failed logins from this address or for this user; the error handler sets `Retry-After` (→ 429 problem). */
export class TooManyLoginAttempts extends RetryLater {
  override name = 'TooManyLoginAttempts';
  constructor(retryAfterSeconds: number) {
    super(retryAfterSeconds, `too many failed login attempts; try again in ${retryAfterSeconds} s`);
  }
}

/** More logins are being checked at once than the server allows; the error handler sets `Retry-After` (→ 429 problem). */
export class LoginsBusy extends RetryLater {
  override name = 'LoginsBusy';
  constructor(retryAfterSeconds: number) {
    super(retryAfterSeconds, `too many sign-ins are being checked at once; try again in ${retryAfterSeconds} s`);
  }
}
