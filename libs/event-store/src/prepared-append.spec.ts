import type { AppendRequest } from './contracts';
import { InvalidAppendRequestError } from './contracts';
import { prepareAppend } from './prepared-append';

const request = (overrides: Partial<AppendRequest> = {}): AppendRequest => ({
  streamId: 'patient-101-0007',
  expectedVersion: 0,
  events: [{ type: 'PatientEnrolled', schemaVersion: 1, occurredAt: '2025-03-04', data: { birthYear: 1961 } }],
  siteId: 'site-101',
  actor: { userId: 'coordinator-1', role: 'site_coordinator' },
  ...overrides,
});
const withEvent = (event: Partial<AppendRequest['events'][number]>) => request({ events: [{ ...request().events[0], ...event }] });

describe('preparing an append', () => {
  it('gives the events of one append a fresh shared correlation id unless one is given', () => {
    const a = prepareAppend(request());
    const b = prepareAppend(request());
    expect(a.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.correlationId).not.toBe(b.correlationId);
    expect(prepareAppend(request({ correlationId: 'D2C5A0D4-1A1B-4C2D-9E3F-0A1B2C3D4E5F' })).correlationId).toBe(
      'd2c5a0d4-1a1b-4c2d-9e3f-0a1b2c3d4e5f',
    );
  });

  it('hashes the payload in the form jsonb will give back', () => {
    const prepared = prepareAppend(withEvent({ data: { measuredAt: new Date('2025-03-04T10:00:00Z'), note: undefined } }));
    expect(prepared.events[0].data).toEqual({ measuredAt: '2025-03-04T10:00:00.000Z' });
  });

  it.each(['2025-03-04', '2025-03-04T09:30', '2025-03-04T09:30:00Z', '2025-03-04T09:30:00.250+01:00'])(
    'accepts clinical time %s',
    (occurredAt) => {
      expect(prepareAppend(withEvent({ occurredAt })).events[0].occurredAt).toBe(occurredAt);
    },
  );

  it.each<[string, AppendRequest]>([
    ['expectedVersion', request({ expectedVersion: -1 })],
    ['streamId', request({ streamId: '' })],
    ['events[0].occurredAt', withEvent({ occurredAt: '04/03/2025' })],
    ['events[0].schemaVersion', withEvent({ schemaVersion: 0 })],
    ['events[0].data', withEvent({ data: { dose: 10n } })],
    ['events[0].amends.reason', withEvent({ amends: { eventId: 'd2c5a0d4-1a1b-4c2d-9e3f-0a1b2c3d4e5f', reason: '' } })],
    ['causationId', request({ causationId: 'not-a-uuid' })],
    ['actor.role', request({ actor: { userId: 'x', role: 'patient' as never } })],
  ])('rejects a request with an invalid %s', (field, invalid) => {
    expect(() => prepareAppend(invalid)).toThrow(InvalidAppendRequestError);
    expect(() => prepareAppend(invalid)).toThrow(field);
  });
});
