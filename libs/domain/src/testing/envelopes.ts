/** Committed events as the store hands them out, for folds, projections, codecs and relays under test. */
import { createHash, randomUUID } from 'node:crypto';
import type { Actor, EventDraft, EventEnvelope } from '../envelope';
import type { CommittedEvent } from '../patient-state';
import type { ProtocolDefinition } from '../protocol';
import { patientStreamId, type TrialStreams } from '../streams';
import { draftTrialEvent } from '../trial/events';
import { aLabResult } from './payloads';

export const aCoordinator: Actor = { userId: 'coordinator-1', role: 'site_coordinator' };

let position = 0;

/**
 * One committed event (an IgM result of patient ZH01-007 by default). Each call takes the next global
 * position and transaction id; recorded-at follows the position, so it is deterministic and increasing.
 */
export function anEnvelope(overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  position += 1;
  const eventId = overrides.eventId ?? randomUUID();
  return {
    eventId,
    type: 'LabResulted',
    schemaVersion: 1,
    streamId: patientStreamId('ZH01-007'),
    streamVersion: 1,
    globalPosition: String(position),
    transactionId: String(1000 + position),
    siteId: 'ZH01',
    actor: aCoordinator,
    occurredAt: '2024-02-01',
    recordedAt: new Date(Date.UTC(2024, 0, 1) + position * 60_000).toISOString(),
    correlationId: randomUUID(),
    causationId: null,
    submissionId: null,
    amends: null,
    data: aLabResult(),
    previousHash: '0'.repeat(64),
    hash: createHash('sha256').update(eventId).digest('hex'),
    ...overrides,
  };
}

/** One stream's drafts as the store would return them, numbered from `firstVersion`. */
export const envelopesOf = (streamId: string, siteId: string | null, drafts: readonly EventDraft[], firstVersion = 1): EventEnvelope[] =>
  drafts.map((draft, index) =>
    anEnvelope({
      type: draft.type,
      schemaVersion: draft.schemaVersion,
      streamId,
      streamVersion: firstVersion + index,
      siteId,
      occurredAt: draft.occurredAt,
      amends: draft.amends ?? null,
      data: draft.data,
    }),
  );

/**
 * A patient's committed events (a `PatientFixture`'s, ids kept so that queries still point at their
 * targets), each recorded at noon UTC of `recordedOn(event)`: its clinical date by default (latency 0).
 */
export const recordedStream = (
  patientId: string,
  siteId: string,
  events: readonly CommittedEvent[],
  recordedOn: (event: CommittedEvent) => string = (event) => event.occurredAt.slice(0, 10),
): EventEnvelope[] =>
  events.map((event, index) =>
    anEnvelope({
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      streamId: patientStreamId(patientId),
      streamVersion: index + 1,
      siteId,
      occurredAt: event.occurredAt,
      recordedAt: `${recordedOn(event)}T12:00:00.000Z`,
      data: event.data,
    }),
  );

/** An event another part of the platform puts on the patient's stream, e.g. an emergency code-break. */
export const committed = (eventId: string, type: string, occurredAt: string, data: unknown): CommittedEvent => ({
  eventId,
  type,
  occurredAt,
  data,
  schemaVersion: 1,
});

/** A protocol version as the trial's stream holds it (`ProtocolActivated`). */
export const protocolVersion = (
  trial: TrialStreams,
  version: number,
  definition: ProtocolDefinition,
  effectiveFrom = '2024-01-01',
): EventEnvelope =>
  envelopesOf(
    trial.trial,
    null,
    [
      draftTrialEvent('ProtocolActivated', `${effectiveFrom}T08:00:00.000Z`, {
        protocolId: definition.id,
        version,
        effectiveFrom,
        sourceSha256: `sha-${version}`,
        definition,
      }),
    ],
    version,
  )[0];
