import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Session ids and activation codes are 256 and 128 random bits: the server keeps only their SHA-256,
 * so a copy of the database opens no session and activates no account.
 */
export const newSessionToken = (): string => randomBytes(32).toString('base64url');

/** 128 bits in groups of four, easy to read out over the phone: `7KQ3-...`. Crockford's base32 alphabet. */
export function newActivationCode(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(26);
  const chars = [...bytes].map((byte) => alphabet[byte & 31]).join('');
  return chars.match(/.{1,4}/g)!.join('-');
}

export const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export const sameHash = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);

/** Activation codes are compared without dashes, spaces or case, as people retype them. */
export const activationCodeHash = (code: string): Buffer => sha256(code.replace(/[\s-]/g, '').toUpperCase());

/**
 * The CSRF token of a session, derived from its id: a page from another origin can neither read the
 * cookie nor compute the token, and the server needs to store nothing more.
 */
export const csrfTokenOf = (sessionToken: string): string =>
  createHash('sha256').update(`csrf\0${sessionToken}`, 'utf8').digest('base64url');

/** Whether a request's CSRF header is the session's token, compared in constant time. */
export function csrfMatches(sent: unknown, sessionToken: string): boolean {
  if (typeof sent !== 'string') return false;
  const [a, b] = [Buffer.from(sent), Buffer.from(csrfTokenOf(sessionToken))];
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Failed logins are counted per user name tried, by hash, so unknown names lock out like real ones. */
export const usernameKey = (normalizedUsername: string): Buffer => sha256(`login\0${normalizedUsername}`);
