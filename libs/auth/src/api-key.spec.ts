import { issueApiKey, parseApiKey, secretMatches } from './api-key';

describe('API keys', () => {
  it('issues tokens shaped tsk_<keyId>_<secret> that parse back to their parts', () => {
    const { keyId, token } = issueApiKey();
    expect(token).toMatch(/^tsk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(token)).toEqual({ keyId, secret: token.slice(`tsk_${keyId}_`.length) });
  });

  it('issues a different key id and secret every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => issueApiKey().token));
    const keyIds = new Set([...tokens].map((token) => parseApiKey(token)!.keyId));
    expect(tokens.size).toBe(50);
    expect(keyIds.size).toBe(50);
  });

  it('recognises the issued secret against the stored hash', () => {
    const { token, keyHash } = issueApiKey();
    expect(secretMatches(parseApiKey(token)!.secret, keyHash)).toBe(true);
  });

  it('stores a 32-byte hash that does not contain the secret', () => {
    const { token, keyHash } = issueApiKey();
    const secret = parseApiKey(token)!.secret;
    expect(keyHash).toHaveLength(32);
    expect(keyHash.toString('base64url')).not.toBe(secret);
    expect(keyHash.toString('hex')).not.toContain(Buffer.from(secret, 'base64url').toString('hex'));
  });

  it('refuses a secret that differs only in the unused bits of its last character', () => {
    // 32 bytes in base64url leave 2 spare bits in the 43rd character: 'A' and 'B' decode alike.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const { token, keyHash } = issueApiKey();
    const secret = parseApiKey(token)!.secret;
    const sibling = secret.slice(0, -1) + alphabet[alphabet.indexOf(secret.at(-1)!) + 1];
    expect(parseApiKey(`tsk_0123456789ab_${sibling}`)).not.toBeNull();
    expect(Buffer.from(sibling, 'base64url').equals(Buffer.from(secret, 'base64url'))).toBe(true);
    expect(secretMatches(sibling, keyHash)).toBe(false);
  });

  it.each([
    ['an empty string', ''],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a missing secret', 'tsk_0123456789ab_'],
    ['a short secret', 'tsk_0123456789ab_abc'],
    ['an upper-case key id', `tsk_0123456789AB_${'a'.repeat(43)}`],
    ['a wrong prefix', `tsx_0123456789ab_${'a'.repeat(43)}`],
    ['trailing text', `tsk_0123456789ab_${'a'.repeat(43)} extra`],
  ])('rejects %s as malformed', (_what, token) => {
    expect(parseApiKey(token)).toBeNull();
  });
});
