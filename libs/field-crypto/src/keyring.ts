import { randomBytes } from 'node:crypto';

/** AES-256 keys by id; new fields are sealed with the current one, old ones open with the id they name. */
export interface FieldKeyring {
  currentId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export class FieldKeyConfigError extends Error {}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Reads `FIELD_KEYS=id1:base64,id2:base64` (32-byte keys) and `FIELD_KEY_ID` (the current id; the last
 * listed when absent). Rotation: add a new key, make it current, keep the old ones as long as messages
 * sealed with them may still be read.
 */
export function parseFieldKeys(text: string, currentId?: string): FieldKeyring {
  const keys = new Map<string, Buffer>();
  let last: string | undefined;
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator);
    if (separator < 1 || !KEY_ID.test(id))
      throw new FieldKeyConfigError('FIELD_KEYS: each entry must be <id>:<base64 key>, id of letters, digits, _ or -');
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (key.length !== 32) throw new FieldKeyConfigError(`FIELD_KEYS: key ${id} must be 32 bytes (base64 of 32 random bytes)`);
    if (keys.has(id)) throw new FieldKeyConfigError(`FIELD_KEYS: key id ${id} is listed twice`);
    keys.set(id, key);
    last = id;
  }
  if (!last) throw new FieldKeyConfigError('FIELD_KEYS: no key given');
  const current = currentId ?? last;
  if (!keys.has(current)) throw new FieldKeyConfigError(`FIELD_KEY_ID: ${current} is not one of the FIELD_KEYS`);
  return { currentId: current, keys };
}

/** A key for this process alone (embedded mode): sealed fields never outlive it there. */
export function ephemeralFieldKeyring(): FieldKeyring {
  return { currentId: 'ephemeral', keys: new Map([['ephemeral', randomBytes(32)]]) };
}

/** `FIELD_KEYS` text for a fresh key: what `npm run field-key` prints. */
export function newFieldKeyEntry(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}
