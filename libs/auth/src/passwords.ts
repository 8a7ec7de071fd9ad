import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

/**
 * argon2id with OWASP's first recommended setting (19 MiB of memory, 2 passes, 1 lane), a 16-byte
 * random salt and a 32-byte tag. The parameters travel inside the PHC string that is stored
 * (`$argon2id$v=19$m=19456,t=2,p=1$...`), so raising them later still verifies older hashes.
 */
export const ARGON2ID_PARAMETERS = {
  // Algorithm.Argon2id; the package declares it as a const enum, which isolatedModules cannot inline.
  algorithm: 2,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID_PARAMETERS);
}

/** False for a wrong password and for a stored value that is not a hash at all. */
export async function passwordMatches(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | undefined;

/**
 * Verifies against a hash that matches nothing, so that a login for a user name that does not exist
 * (or has no password yet) costs the same time as one with a wrong password: the answer's timing does
 * not tell whether the name exists.
 */
export async function spendPasswordCheck(password: string): Promise<false> {
  decoy ??= hashPassword(randomBytes(32).toString('base64url'));
  await passwordMatches(await decoy, password);
  return false;
}
