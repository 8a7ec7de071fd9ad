import { HttpException } from '@nestjs/common';

/** The 403 of a signed route, as its OpenAPI document states it. */
export const SIGNED_ROUTE_FORBIDDEN =
  "The caller's role, API key scope or site scope does not allow it, or the caller has no password to sign with " +
  '(rule `signed-by-a-person`: a signature takes the user name and password of a person, 21 CFR Part 11 §11.200)';

/** What an authentication or account rule refused, in the API's one error shape. */
export class AuthError extends HttpException {
  constructor(
    status: number,
    error: string,
    message: string,
    details: { field: string; rule: string }[],
    /** Response headers that explain the refusal, e.g. `Retry-After` for a lockout. */
    readonly headers: Record<string, string> = {},
    /** Fields beside the error shape's own, e.g. `unlockAt`. */
    extra: Record<string, string> = {},
  ) {
    super({ error, message, details, ...extra }, status);
  }

  /** The same answer for an unknown user, a wrong password and a deactivated account. */
  static badCredentials(field = 'password'): AuthError {
    return new AuthError(401, 'unauthenticated', 'The user name or password is wrong', [{ field, rule: 'valid-credentials' }]);
  }

  static lockedOut(until: Date, now: Date): AuthError {
    const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
    return new AuthError(
      423,
      'locked',
      `Too many failed logins: try again after ${until.toISOString()}`,
      [{ field: 'username', rule: 'not-locked-out' }],
      { 'Retry-After': String(seconds) },
      { unlockAt: until.toISOString() },
    );
  }

  /**
   * 21 CFR Part 11 §11.200(a)(1): a signature is executed with both of its components, the user name and
   * the password, by their owner at the time of signing. A caller without a password (an API-key-only
   * user such as the first administrator's key, or a machine key) has nothing to sign with.
   */
  static signerWithoutPassword(): AuthError {
    return new AuthError(
      403,
      'forbidden',
      '21 CFR Part 11 §11.200: a signed action takes the user name and password of the person who signs, given at the time ' +
        'of signing; this caller has an API key and no password. Act as a person with a password (an administrator creates ' +
        'one: POST /users with a username, or npm run admin -- create-user --username ...)',
      [{ field: 'authorization', rule: 'signed-by-a-person' }],
    );
  }

  static rejected(violations: { field: string; rule: string; message: string }[]): AuthError {
    return new AuthError(
      422,
      'rule_violation',
      violations.map((v) => `${v.field}: ${v.message}`).join('; '),
      violations.map(({ field, rule }) => ({ field, rule })),
    );
  }
}
