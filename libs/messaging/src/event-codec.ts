import type { IHeaders } from 'kafkajs';
import type { EventEnvelope } from '@trialstream/domain';
import type { Upcaster } from '@trialstream/domain';
import { envelopeProblem } from './envelope-shape';

export const EVENT_CONTENT_TYPE = 'application/vnd.trialstream.event+json';

/** An event as a Kafka message: what the relay sends. */
export interface EncodedEvent {
  /** The stream id: Kafka keeps one key's messages in one partition, in order. */
  key: string;
  /** The whole envelope as JSON. */
  value: string;
  headers: {
    'content-type': string;
    'event-type': string;
    'schema-version': string;
    'event-id': string;
    'global-position': string;
  };
}

/** A Kafka message as a consumer receives it. */
export interface ReceivedMessage {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: IHeaders;
}

export class UndecodableEventError extends Error {
  constructor(readonly reason: string) {
    super(`Not a trialstream event: ${reason}`);
    this.name = 'UndecodableEventError';
  }
}

/** An event already serialised, as the store hands it to the relay: the envelope's JSON and what routes it. */
export interface EventJson extends Pick<EventEnvelope, 'eventId' | 'type' | 'schemaVersion' | 'streamId' | 'globalPosition'> {
  /** The whole envelope as JSON. */
  json: string;
}

export function encodeEvent(envelope: EventEnvelope): EncodedEvent {
  return encodeEventJson(envelope, JSON.stringify(envelope));
}

/** The message of an event whose envelope is already JSON: the text goes out as it is. */
export function encodeEventJson(event: Omit<EventJson, 'json'>, json: string): EncodedEvent {
  return {
    key: event.streamId,
    value: json,
    headers: {
      'content-type': EVENT_CONTENT_TYPE,
      'event-type': event.type,
      'schema-version': String(event.schemaVersion),
      'event-id': event.eventId,
      'global-position': event.globalPosition,
    },
  };
}

/** Header values as text; kafkajs hands them over as Buffers (several values under one name: the last wins). */
export function headerText(headers: IHeaders | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) text[name] = value.toString();
  }
  return text;
}

function parseJson(value: Buffer | string): unknown {
  try {
    return JSON.parse(value.toString());
  } catch {
    throw new UndecodableEventError('value: not JSON');
  }
}

function upcastEnvelope(envelope: EventEnvelope, upcast: Upcaster): EventEnvelope {
  try {
    const current = upcast(envelope.type, envelope.schemaVersion, envelope.data);
    return current.schemaVersion === envelope.schemaVersion && current.data === envelope.data
      ? envelope
      : { ...envelope, schemaVersion: current.schemaVersion, data: current.data };
  } catch (error) {
    throw new UndecodableEventError(`${envelope.type} v${envelope.schemaVersion}: ${(error as Error).message}`);
  }
}

/**
 * The envelope a message carries, checked field by field (a message some other producer put on the topic
 * must not reach a projection half-understood), then upcast when an upcaster is given.
 * Throws UndecodableEventError.
 */
export function decodeEvent(message: ReceivedMessage, upcast?: Upcaster | null): EventEnvelope {
  const headers = headerText(message.headers);
  if (headers['content-type'] !== EVENT_CONTENT_TYPE) {
    throw new UndecodableEventError(`content-type: expected ${EVENT_CONTENT_TYPE}, got ${headers['content-type'] ?? 'none'}`);
  }
  if (message.value === null || message.value.length === 0) throw new UndecodableEventError('value: empty');
  const value = parseJson(message.value);
  const problem = envelopeProblem(value);
  if (problem) throw new UndecodableEventError(problem);
  const envelope = value as EventEnvelope;
  if (message.key === null || message.key.toString() !== envelope.streamId) {
    throw new UndecodableEventError(`key: expected the stream id ${envelope.streamId}`);
  }
  return upcast ? upcastEnvelope(envelope, upcast) : envelope;
}
