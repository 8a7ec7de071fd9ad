import { GENESIS_HASH, computeEventHash, newEventSalt, type ChainedEventFields } from './hash-chain';

const fields = (overrides: Partial<ChainedEventFields> = {}): ChainedEventFields => ({
  previousHash: GENESIS_HASH,
  eventId: '5f1b7a4e-8d0c-4a53-9a57-3f0c1c4d2b10',
  type: 'PatientEnrolled',
  schemaVersion: 1,
  streamId: 'patient-101-0007',
  streamVersion: 1,
  siteId: 'site-101',
  actor: { userId: 'coordinator-1', role: 'site_coordinator' },
  occurredAt: '2025-03-04',
  recordedAt: '2025-03-04T10:15:00.000Z',
  correlationId: '0d2c9c55-0d3f-4c8e-8d1b-6d9b0c2f6a11',
  causationId: null,
  submissionId: 'sub-1',
  amends: null,
  data: { birthYear: 1961, weightKg: 72.5 },
  ...overrides,
});

describe('event hash', () => {
  it('is a 64-character hex SHA-256 digest', () => {
    expect(computeEventHash(fields())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the key order of the payload, as jsonb reorders keys', () => {
    const a = computeEventHash(fields({ data: { birthYear: 1961, weightKg: 72.5 } }));
    const b = computeEventHash(fields({ data: { weightKg: 72.5, birthYear: 1961 } }));
    expect(a).toBe(b);
  });

  it.each<[string, Partial<ChainedEventFields>]>([
    ['payload', { data: { birthYear: 1962, weightKg: 72.5 } }],
    ['previous hash', { previousHash: 'f'.repeat(64) }],
    ['stream version', { streamVersion: 2 }],
    ['actor role', { actor: { userId: 'coordinator-1', role: 'administrator' } }],
    ['clinical time', { occurredAt: '2025-03-05' }],
    ['correction reason', { amends: { eventId: '5f1b7a4e-8d0c-4a53-9a57-3f0c1c4d2b11', reason: 'typo' } }],
  ])('changes when the %s changes', (_field, change) => {
    expect(computeEventHash(fields(change))).not.toBe(computeEventHash(fields()));
  });

  it('refuses payloads JSON cannot represent rather than hashing a lossy form', () => {
    expect(() => computeEventHash(fields({ data: { dose: 10n } }))).toThrow();
  });
});

describe('event salt', () => {
  it('is 32 random bytes in hex, never the same twice across draws of the pool', () => {
    const salts = Array.from({ length: 1_000 }, () => newEventSalt());
    salts.forEach((salt) => expect(salt).toMatch(/^[0-9a-f]{64}$/));
    expect(new Set(salts).size).toBe(salts.length);
  });
});
