/** How long sessions live, when logins lock, how long an activation code holds; from the platform's configuration. */
export interface AuthSettings {
  /** A session unused for this long is over (default 30 min). */
  sessionIdleMinutes: number;
  /** A session is over this long after login, used or not (default 12 h). */
  sessionAbsoluteHours: number;
  /** This many failed logins for one user name within the window lock it (default 5 in 15 min). */
  lockoutAttempts: number;
  lockoutWindowMinutes: number;
  /** How long a lockout lasts (default 15 min); an administrator's password reset ends it at once. */
  lockoutMinutes: number;
  /** How long a one-time activation code may be exchanged for a password (default 72 h). */
  activationCodeHours: number;
  /**
   * Within a session, the first signature takes user name and password; later ones need only the
   * password while the previous signature is at most this old (§11.200(a)(1)). Default 15 min.
   */
  signatureContinuityMinutes: number;
}

export const minutes = (n: number): number => n * 60_000;
