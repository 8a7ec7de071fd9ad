import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `tsk_<keyId>_<secret>`. The key id is public (it finds the user's row); the
 * secret is 32 random bytes, base64url. Hashed keys rather than signed tokens: revoking a key takes
 * effect on the next request, and there is no signing secret to distribute to every service.
 */
const TOKEN_PREFIX = 'tsk';
const KEY_ID_BYTES = 6;
const SECRET_BYTES = 32;
// Hex key ids never contain the `_` separator; base64url secrets may, so the secret is "the rest".
const TOKEN_PATTERN = /^tsk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface IssuedApiKey {
  keyId: string;
  /** The full bearer token; shown to its owner once and never stored. */
  token: string;
  /** What the server keeps to recognise the secret later. */
  keyHash: Buffer;
}

export interface ParsedApiKey {
  keyId: string;
  secret: string;
}

/**
 * SHA-256 without salt or stretching: the secret carries 256 bits of randomness, so there is nothing
 * for a slow password hash (bcrypt, scrypt) to protect against. The base64url text is hashed as
 * written, not its decoded bytes, because the last base64 character has unused bits: two different
 * texts can decode to the same bytes, and a tampered token must not authenticate.
 */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function issueApiKey(): IssuedApiKey {
  const keyId = randomBytes(KEY_ID_BYTES).toString('hex');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { keyId, token: `${TOKEN_PREFIX}_${keyId}_${secret}`, keyHash: hashSecret(secret) };
}

/** Splits a bearer token into key id and secret; null for anything not shaped like one of our keys. */
export function parseApiKey(token: string): ParsedApiKey | null {
  const match = TOKEN_PATTERN.exec(token);
  return match ? { keyId: match[1], secret: match[2] } : null;
}

/** Constant-time comparison, so response timing does not reveal how much of a guessed secret was right. */
export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = hashSecret(secret);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}
