import { RuleViolation, violation } from '../rule-violation';

/**
 * The password rules a person can check before sending (the web app uses the same function). The
 * history rule, "not one of the last 5", needs the stored hashes and is checked by the server alone.
 */
export const PASSWORD_MIN_LENGTH = 12;
/** Long enough for any passphrase, short enough that hashing it costs nothing unusual. */
export const PASSWORD_MAX_LENGTH = 256;
export const PASSWORD_HISTORY_SIZE = 5;

export const PASSWORD_RULE = {
  minLength: 'min-length',
  maxLength: 'max-length',
  notUsername: 'not-username',
  notRecentlyUsed: 'not-recently-used',
} as const;

/** Unicode code points, so a passphrase in any script is measured as a person counts it. */
const lengthOf = (text: string): number => [...text].length;

export function passwordViolations(password: string, username: string, field = 'password'): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const length = lengthOf(password);
  if (length < PASSWORD_MIN_LENGTH) {
    violations.push(violation(field, PASSWORD_RULE.minLength, `a password has at least ${PASSWORD_MIN_LENGTH} characters`));
  }
  if (length > PASSWORD_MAX_LENGTH) {
    violations.push(violation(field, PASSWORD_RULE.maxLength, `a password has at most ${PASSWORD_MAX_LENGTH} characters`));
  }
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) {
    violations.push(violation(field, PASSWORD_RULE.notUsername, 'the password must not be the user name'));
  }
  return violations;
}

/** User names: letters, digits, `.`, `_`, `-`; compared without case, stored in lower case. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export const normalizeUsername = (username: string): string => username.trim().toLowerCase();

export function usernameViolations(username: string, field = 'username'): RuleViolation[] {
  return USERNAME_PATTERN.test(normalizeUsername(username))
    ? []
    : [violation(field, 'username-format', 'a user name is 2-64 letters, digits, ".", "_" or "-", starting with a letter or digit')];
}
