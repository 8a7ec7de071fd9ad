import { createUpcaster } from '@trialstream/domain';
import { decodeEvent, encodeEvent, EVENT_CONTENT_TYPE, UndecodableEventError, type ReceivedMessage } from './event-codec';
import { anEnvelope } from '@trialstream/domain/testing';

/** What a consumer gets for an encoded event: kafkajs hands key, value and headers over as Buffers. */
function asReceived(message: ReturnType<typeof encodeEvent>): ReceivedMessage {
  return {
    key: Buffer.from(message.key),
    value: Buffer.from(message.value),
    headers: Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, Buffer.from(String(value))])),
  };
}

function decodeFailure(message: ReceivedMessage): string {
  try {
    decodeEvent(message);
  } catch (error) {
    expect(error).toBeInstanceOf(UndecodableEventError);
    return (error as UndecodableEventError).reason;
  }
  throw new Error('the message was decoded');
}

describe('event codec', () => {
  it('keys an event by its stream and names it in headers a consumer can route on without parsing', () => {
    const envelope = anEnvelope({ streamId: 'patient-BE02-114', type: 'InfusionGiven', schemaVersion: 2, globalPosition: '4711' });

    const message = encodeEvent(envelope);

    expect(message.key).toBe('patient-BE02-114');
    expect(message.headers).toEqual({
      'content-type': EVENT_CONTENT_TYPE,
      'event-type': 'InfusionGiven',
      'schema-version': '2',
      'event-id': envelope.eventId,
      'global-position': '4711',
    });
  });

  it('gives back the very envelope that was encoded', () => {
    const envelope = anEnvelope({ amends: { eventId: 'e0b7f1de-0000-4000-8000-000000000001', reason: 'transcription error' } });

    expect(decodeEvent(asReceived(encodeEvent(envelope)))).toEqual(envelope);
  });

  it('refuses a message without the event content type', () => {
    const message = asReceived(encodeEvent(anEnvelope()));
    delete message.headers!['content-type'];

    expect(decodeFailure(message)).toMatch(/content-type/);
  });

  it('refuses bytes that are not JSON', () => {
    expect(decodeFailure({ ...asReceived(encodeEvent(anEnvelope())), value: Buffer.from('{"eventId": ') })).toBe('value: not JSON');
  });

  it('refuses an empty message (a tombstone)', () => {
    expect(decodeFailure({ ...asReceived(encodeEvent(anEnvelope())), value: null })).toBe('value: empty');
  });

  it.each([
    ['streamVersion', { streamVersion: 0 }],
    ['globalPosition', { globalPosition: 12 as unknown as string }],
    ['actor', { actor: { userId: 'u1', role: 'janitor' } as never }],
    ['amends', { amends: { eventId: 'e1' } as never }],
  ])('names the malformed field %s of an envelope', (field, overrides) => {
    const message = encodeEvent(anEnvelope(overrides));

    expect(decodeFailure(asReceived(message))).toBe(`${field}: missing or malformed`);
  });

  it('refuses an event under a key other than its stream, which would break the per-stream order', () => {
    const message = asReceived(encodeEvent(anEnvelope({ streamId: 'patient-ZH01-007' })));

    expect(decodeFailure({ ...message, key: Buffer.from('patient-ZH01-008') })).toMatch(/^key/);
  });

  describe('with an upcaster', () => {
    const upcast = createUpcaster({
      LabResulted: { currentVersion: 2, steps: { 1: (data: { value: number }) => ({ ...data, valueText: String(data.value) }) } },
    });

    it('hands over an old event in the current schema', () => {
      const envelope = anEnvelope({ type: 'LabResulted', schemaVersion: 1, data: { value: 12.5 } });

      const decoded = decodeEvent(asReceived(encodeEvent(envelope)), upcast);

      expect(decoded).toEqual({ ...envelope, schemaVersion: 2, data: { value: 12.5, valueText: '12.5' } });
    });

    it('treats a schema version from the future as undecodable', () => {
      const message = asReceived(encodeEvent(anEnvelope({ type: 'LabResulted', schemaVersion: 3 })));

      expect(() => decodeEvent(message, upcast)).toThrow(/LabResulted v3/);
    });
  });
});
