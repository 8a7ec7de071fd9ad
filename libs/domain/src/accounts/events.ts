import { eventFamily } from '../events/catalog';

/**
 * What happens to a person's account, as audit events (21 CFR Part 11 §11.10(e), §11.300): each on the
 * account's own stream `account-<userId>`, so the audit trail shows who logged in, failed, was locked
 * out or changed a password beside the data they wrote. No payload ever carries a secret: no password,
 * no activation code, no session id, no API key, not even a hash of one.
 */
export const accountStreamId = (userId: string): string => `account-${userId}`;

export interface AccountCreated {
  username: string;
  name: string;
  role: string;
  siteIds: string[];
  /** The administrator who created it. */
  createdBy: string;
}

/** The one-time activation code was exchanged for a first password. */
export interface AccountActivated {
  username: string;
}

export interface LoginSucceeded {
  username: string;
}

export const LOGIN_FAILURE_REASONS = ['wrong-password', 'unknown-user', 'locked', 'deactivated', 'not-activated'] as const;
export type LoginFailureReason = (typeof LOGIN_FAILURE_REASONS)[number];

export interface LoginFailed {
  /** Absent for a user name that does not exist: what was typed may be a password. */
  username?: string;
  reason: LoginFailureReason;
}

/** Too many failed logins in the window: logins are refused until `until`. */
export interface AccountLockedOut {
  username: string;
  failedAttempts: number;
  until: string;
}

export interface LoggedOut {
  username: string;
}

export interface PasswordChanged {
  username: string;
}

/** An administrator issued a new activation code; the old password no longer works. */
export interface PasswordReset {
  username: string;
  resetBy: string;
}

export interface AccountDeactivated {
  username: string;
  deactivatedBy: string;
}

/** A signature or a re-authenticated action was refused because the password was wrong. */
export interface SignatureAuthenticationFailed {
  /** What the person tried to sign, e.g. `patient/S01-0001` or `trial/lock`. */
  resource: string;
  reason: 'wrong-password' | 'wrong-username' | 'locked';
}

export interface ApiKeyIssued {
  apiKeyId: string;
  name: string;
  /** The person whose key it is, or absent for a machine key bound to a role. */
  userId?: string;
  role: string;
  siteIds: string[];
  scopes: string[];
  expiresAt: string;
  issuedBy: string;
}

export interface ApiKeyRevoked {
  apiKeyId: string;
  revokedBy: string;
}

export interface AccountEventPayloadByType {
  AccountCreated: AccountCreated;
  AccountActivated: AccountActivated;
  LoginSucceeded: LoginSucceeded;
  LoginFailed: LoginFailed;
  AccountLockedOut: AccountLockedOut;
  LoggedOut: LoggedOut;
  PasswordChanged: PasswordChanged;
  PasswordReset: PasswordReset;
  AccountDeactivated: AccountDeactivated;
  SignatureAuthenticationFailed: SignatureAuthenticationFailed;
  ApiKeyIssued: ApiKeyIssued;
  ApiKeyRevoked: ApiKeyRevoked;
}

export type AccountEventType = keyof AccountEventPayloadByType;

const ACCOUNT_EVENTS = eventFamily<AccountEventPayloadByType>([
  'AccountCreated',
  'AccountActivated',
  'LoginSucceeded',
  'LoginFailed',
  'AccountLockedOut',
  'LoggedOut',
  'PasswordChanged',
  'PasswordReset',
  'AccountDeactivated',
  'SignatureAuthenticationFailed',
  'ApiKeyIssued',
  'ApiKeyRevoked',
]);

/** The event catalog's schema versions, for this family. */
export const ACCOUNT_SCHEMA_VERSIONS = ACCOUNT_EVENTS.schemaVersions;
export const ACCOUNT_EVENT_TYPES = ACCOUNT_EVENTS.types;
export const isAccountEventType = ACCOUNT_EVENTS.is;
export const draftAccountEvent = ACCOUNT_EVENTS.draft;
